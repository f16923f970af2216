// Cached GetCommitteeView, GetNationalOverview and grpc.health.v1.Health/Check of the real Membership service against
// a bare Grpc.AspNetCore server answering the same bytes, in one run, both driven by h2load (-c16 -m16, fixed time),
// with the ratio; and the RSS of each service idle (anonymous, mapped files, shared) and at its peak under load.
//
//   eval "$(bash eng/infra.sh env)"   # the distributed mode's PostgreSQL, RabbitMQ and Redis
//   dotnet run -c Release --project bench/ViewBench -- distributed [seconds=10] [rounds=2]
//   dotnet run -c Release --project bench/ViewBench -- sandbox [seconds=10] [rounds=2]
//
// distributed: Membership and Decisions as their own processes (their Release builds, in the production pipeline:
// bench/Shared/ProductionPipeline.cs) on fresh PostgreSQL databases, RabbitMQ and Redis, names prefixed per run;
// sandbox: the AllInOne process on a fresh data folder. The article's sample data are loaded through the public APIs (the
// sandbox's loader), then each method is measured on the bare server and on the service in turn, `rounds` times
// (after an unmeasured warm-up of each); the best of each is printed. The bare server is this program run as a process
// of its own (`bare <view file> <overview file>`, with the services' runtime settings: ServiceRuntime.props), so its
// RSS is measured as theirs are: the limit of the RSS goal. Besides req/s, each run prints the server's CPU time per request
// (user + system of its process over the run, divided by the requests answered): on a machine shared with other work,
// req/s follow the CPU share the run happened to get, while CPU per request does not, so its ratio is the steadier
// estimate of the req/s ratio on an idle machine. The GC settings of the services are theirs; DOTNET_* variables set
// for this program reach them too.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Egov.Steering.Access;
using Egov.Steering.AllInOne;
using Egov.Steering.Bench;
using Egov.Steering.Membership.V1;
using Egov.Steering.ServiceDefaults.Serialized;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

var mode = args.ElementAtOrDefault(0) ?? "distributed";
if (mode == "bare" && args.Length == 3)
{
    await BareServer.ServeAsync(args[1], args[2]);
    return 0;
}

var seconds = int.Parse(args.ElementAtOrDefault(1) ?? "10", CultureInfo.InvariantCulture);
var rounds = int.Parse(args.ElementAtOrDefault(2) ?? "2", CultureInfo.InvariantCulture);
if (mode is not ("distributed" or "sandbox"))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/ViewBench -- distributed|sandbox [seconds=10] [rounds=2]");
    return 2;
}

const string SlowStartDeadline = "00:05:00";
var repo = Machine.RepositoryRoot();
var work = Directory.CreateTempSubdirectory("view-bench-");
Console.WriteLine($"view bench ({mode}): h2load -c16 -m16 -D {seconds}, best of {rounds}; {Environment.ProcessorCount} cores, load average at start {Machine.LoadAverage()}");
var token = DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(2), "view-bench");
var services = new List<Service>();
var infrastructure = Infrastructure.FromEnvironment();
// What the distributed run creates on the shared servers, removed at the end.
var databases = new List<string>();
string? brokerPrefix = null;
try
{
    var address = mode == "sandbox" ? await StartSandboxAsync() : await StartDistributedAsync();
    using var channel = GrpcChannel.ForAddress(address);
    var client = new MembershipService.MembershipServiceClient(channel);
    var auth = new Metadata { { "authorization", "Bearer " + token } };

    var committeeRequest = new GetCommitteeViewRequest
    {
        Committee = "committees/" + SampleCommittees.GiaLai,
        AsOf = new Google.Type.Date { Year = 2020, Month = 12, Day = 31 },
    };
    var overviewRequest = new GetNationalOverviewRequest();
    var healthRequest = new HealthCheckRequest();
    var committeeView = await client.GetCommitteeViewAsync(committeeRequest, auth);
    var overview = await client.GetNationalOverviewAsync(overviewRequest, auth);
    var health = await new Health.HealthClient(channel).CheckAsync(healthRequest);
    Console.WriteLine($"Gia Lai committee view {committeeView.CalculateSize():N0} bytes ({committeeView.Memberships.Count} members), national overview {overview.CalculateSize():N0} bytes ({overview.Rows.Count} rows), health {health.Status}");
    await Task.Delay(TimeSpan.FromSeconds(3)); // the start-up's own work settles before the idle figure
    var idle = services.ToDictionary(s => s.Name, s => s.Rss());
    var idleParts = services.ToDictionary(s => s.Name, s => s.RssParts());

    using var bare = await BareServer.StartAsync(committeeView, overview, work);
    var bareAddress = await BareServer.AddressAsync(bare);
    await Task.Delay(TimeSpan.FromSeconds(3)); // as the services: its start-up's own work settles before the idle figure
    idle[bare.Name] = bare.Rss();
    idleParts[bare.Name] = bare.RssParts();
    // Health is anonymous: probes send no token. Once with the dashboard's token too, which shows what authentication costs.
    // Both servers are sent the same request, headers included: the bare server decodes the token and ignores it.
    var methods = new (string Label, string Path, IMessage Request, bool Token)[]
    {
        ("GetCommitteeView (Gia Lai)", "/egov.steering.membership.v1.MembershipService/GetCommitteeView", committeeRequest, true),
        ("GetNationalOverview", "/egov.steering.membership.v1.MembershipService/GetNationalOverview", overviewRequest, true),
        ("grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Check", healthRequest, false),
        ("Health/Check with a token", "/grpc.health.v1.Health/Check", healthRequest, true),
    };

    var peaks = services.Append(bare).ToDictionary(s => s.Name, _ => 0L);
    var measured = services[0]; // Membership, or the sandbox
    // What each process spends with no request (background work: relays, pollers, health checks) is not the requests'.
    var bareIdle = await IdleCpuAsync(bare.CpuTime);
    var realIdle = await IdleCpuAsync(measured.CpuTime);
    Console.WriteLine($"idle CPU: bare {bareIdle:0.000}, {measured.Name} {realIdle:0.000} (cores busy with no request, subtracted from the runs)");
    Func<TimeSpan> bareServer = bare.CpuTime, realServer = measured.CpuTime;
    var results = new List<(string Label, Run Bare, Run Real)>();
    foreach (var (label, path, request, sendToken) in methods)
    {
        var bearer = sendToken ? token : null;
        var body = Path.Combine(work.FullName, path.Replace('/', '_') + ".bin");
        await File.WriteAllBytesAsync(body, GrpcMessageFrame.Of(request.ToByteArray()));
        await H2LoadAsync(bareAddress, path, body, bearer, 2, bareServer, bareIdle, [], peaks);
        await H2LoadAsync(address, path, body, bearer, 2, realServer, realIdle, [], peaks);
        Run bestBare = default, bestReal = default;
        for (var round = 0; round < rounds; round++)
        {
            bestBare = Run.Best(bestBare, await H2LoadAsync(bareAddress, path, body, bearer, seconds, bareServer, bareIdle, [bare], peaks));
            bestReal = Run.Best(bestReal, await H2LoadAsync(address, path, body, bearer, seconds, realServer, realIdle, services, peaks));
        }

        results.Add((label, bestBare, bestReal));
    }

    Console.WriteLine();
    Console.WriteLine($"| {mode} | bare req/s | {measured.Name} req/s | ratio | bare CPU µs/req | {measured.Name} CPU µs/req | CPU ratio (bare ÷ {measured.Name}) |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var (label, bareRun, realRun) in results)
    {
        Console.WriteLine(
            $"| {label} | {bareRun.Rate:N0} | {realRun.Rate:N0} | {realRun.Rate / bareRun.Rate:0.00} | {bareRun.CpuMicroseconds:N0} | {realRun.CpuMicroseconds:N0} | {bareRun.CpuMicroseconds / realRun.CpuMicroseconds:0.00} |");
    }

    Console.WriteLine();
    Console.WriteLine("| service | RSS idle | idle: anonymous / mapped files / runtime data / JIT code | RSS peak under load |");
    Console.WriteLine("|---|---|---|---|");
    foreach (var service in services.Append(bare))
    {
        var (anonymous, files, runtimeData, code) = idleParts[service.Name];
        Console.WriteLine(
            $"| {service.Name} | {Mb(idle[service.Name])} | {Mb(anonymous)} / {Mb(files)} / {Mb(runtimeData)} / {Mb(code)} | {Mb(Math.Max(peaks[service.Name], idle[service.Name]))} |");
    }

    Console.WriteLine();
    Console.WriteLine($"load average at end {Machine.LoadAverage()}");
    return 0;
}
finally
{
    foreach (var service in services)
    {
        service.Dispose();
    }

    foreach (var database in databases)
    {
        await infrastructure.DropDatabaseAsync(database);
    }

    if (brokerPrefix is not null)
    {
        await infrastructure.DeleteBrokerEntitiesAsync(brokerPrefix);
    }

    work.Delete(recursive: true);
}

async Task<Uri> StartSandboxAsync()
{
    var grpcPort = Machine.FreePort();
    var sandbox = Service.Start(
        "AllInOne", repo, [$"--Hosting:GrpcPort={grpcPort}", $"--Sandbox:DataPath={Path.Combine(work.FullName, "sandbox")}", "--Sandbox:AddressFile=", $"--Hosting:DefaultCallDeadline={SlowStartDeadline}"], new Dictionary<string, string>());
    services.Add(sandbox);
    await sandbox.WaitForOutputAsync("STEERINGCTL_TOKEN", TimeSpan.FromMinutes(10)); // the banner: sample data loaded
    return new Uri($"http://127.0.0.1:{grpcPort}");
}

async Task<Uri> StartDistributedAsync()
{
    var run = $"bench-view-{Guid.NewGuid():N}"[..20];
    brokerPrefix = run;
    var (membershipPort, decisionsPort) = (Machine.FreePort(), Machine.FreePort());
    string DatabaseName(string service) => $"{run}_{service}".Replace('-', '_');
    Dictionary<string, string> Settings(string service, int grpcPort) => new(ProductionPipeline.Environment)
    {
        ["Storage__Provider"] = "PostgreSQL",
        ["Bus__Transport"] = "RabbitMQ",
        ["Cache__Provider"] = "Redis",
        ["ConnectionStrings__Database"] = new NpgsqlConnectionStringBuilder(infrastructure.Postgres) { Database = DatabaseName(service) }.ConnectionString,
        ["ConnectionStrings__RabbitMQ"] = infrastructure.RabbitMq.ToString(),
        ["ConnectionStrings__Redis"] = infrastructure.Redis,
        ["Messaging__EndpointPrefix"] = $"{run}-{service}",
        ["Messaging__TopologyPrefix"] = run,
        ["Views__KeyPrefix"] = $"{run}:views:",
        ["Services__Membership"] = $"http://127.0.0.1:{membershipPort}",
        ["Hosting__GrpcPort"] = grpcPort.ToString(CultureInfo.InvariantCulture),
        ["Hosting__HttpPort"] = Machine.FreePort().ToString(CultureInfo.InvariantCulture),
        ["Logging__LogLevel__Default"] = "Warning",
        ["Hosting__DefaultCallDeadline"] = SlowStartDeadline, // loading the sample data on a loaded machine
    };

    foreach (var (service, port) in new[] { ("membership", membershipPort), ("decisions", decisionsPort) })
    {
        databases.Add(await infrastructure.CreateDatabaseAsync(DatabaseName(service)));

        using var migrate = Service.Start(Capitalized(service), repo, ["migrate"], Settings(service, port));
        await migrate.WaitForExitAsync(TimeSpan.FromMinutes(5));
    }

    var membership = Service.Start("Membership", repo, [], Settings("membership", membershipPort));
    services.Add(membership);
    var decisions = Service.Start("Decisions", repo, [], Settings("decisions", decisionsPort));
    services.Add(decisions);
    var membershipAddress = new Uri($"http://127.0.0.1:{membershipPort}");
    var decisionsAddress = new Uri($"http://127.0.0.1:{decisionsPort}");
    await WaitServingAsync(membershipAddress);
    await WaitServingAsync(decisionsAddress);
    Console.WriteLine("loading the sample data through Membership and Decisions ...");
    var loader = new SampleDataLoader(new ConfigurationBuilder().Build(), NullLogger<SampleDataLoader>.Instance);
    await loader.LoadAsync(membershipAddress, decisionsAddress, CancellationToken.None);
    return membershipAddress;
}

static async Task WaitServingAsync(Uri address)
{
    using var channel = GrpcChannel.ForAddress(address);
    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
    while (true)
    {
        try
        {
            if ((await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return;
            }
        }
        catch (RpcException) when (DateTime.UtcNow < deadline)
        {
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"{address} is not serving");
        }

        await Task.Delay(500);
    }
}

// One h2load run: req/s and the server's CPU time per request (a failed run counts nothing). Samples the RSS of the
// processes it loads meanwhile into peaks.
async Task<Run> H2LoadAsync(
    Uri address, string path, string body, string? bearer, int duration, Func<TimeSpan> serverCpu, double idleCores, IReadOnlyList<Service> loaded, Dictionary<string, long> peaks)
{
    var arguments = new List<string> { "-c16", "-m16", "-D", duration.ToString(CultureInfo.InvariantCulture), "-d", body,
        "-H", "content-type: application/grpc", "-H", "te: trailers" };
    if (bearer is not null)
    {
        arguments.AddRange(["-H", "authorization: Bearer " + bearer]);
    }

    arguments.Add(new Uri(address, path).ToString());
    var start = new ProcessStartInfo("h2load") { RedirectStandardOutput = true, RedirectStandardError = true };
    arguments.ForEach(start.ArgumentList.Add);
    var cpuBefore = serverCpu();
    var started = Stopwatch.GetTimestamp();
    using var h2load = Process.Start(start)!;
    var output = h2load.StandardOutput.ReadToEndAsync();
    while (!h2load.HasExited)
    {
        foreach (var service in loaded)
        {
            peaks[service.Name] = Math.Max(peaks[service.Name], service.Rss());
        }

        await Task.WhenAny(h2load.WaitForExitAsync(), Task.Delay(250));
    }

    var cpu = serverCpu() - cpuBefore - (Stopwatch.GetElapsedTime(started) * idleCores);
    var text = await output;
    var rate = Regex.Match(text, @"finished in [\d.]+\w+, ([\d.]+) req/s");
    var requests = Regex.Match(text, @"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed");
    if (!rate.Success || !requests.Success || requests.Groups[4].Value != "0" || requests.Groups[3].Value == "0")
    {
        Console.Error.WriteLine($"h2load on {path} failed:\n{text}\n{await h2load.StandardError.ReadToEndAsync()}");
        return default;
    }

    var succeeded = double.Parse(requests.Groups[3].Value, CultureInfo.InvariantCulture);
    return new Run(double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture), cpu.TotalMicroseconds / succeeded);
}

// Cores a process keeps busy with no request, over a few quiet seconds.
static async Task<double> IdleCpuAsync(Func<TimeSpan> cpuTime)
{
    var before = cpuTime();
    var started = Stopwatch.GetTimestamp();
    await Task.Delay(TimeSpan.FromSeconds(5));
    return (cpuTime() - before) / Stopwatch.GetElapsedTime(started);
}

static string Capitalized(string service) => char.ToUpperInvariant(service[0]) + service[1..];

static string Mb(long bytes) => $"{bytes / 1_000_000.0:N0} MB";

/// <summary>A service's Release build as a child process, run from its output folder (where its appsettings.json is).</summary>
internal sealed class Service : IDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource<string> seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lastLines = new();
    private string? awaited;

    private Service(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    public string Name { get; }

    public static Service Start(string project, string repo, IEnumerable<string> arguments, IDictionary<string, string> environment)
    {
        var folder = Path.Combine(repo, "services", project, "bin", "Release", "net10.0");
        return StartProgram(project, Path.Combine(folder, $"Egov.Steering.{project}.dll"), arguments, environment);
    }

    /// <summary>The program <paramref name="assembly"/> as a child process, run from its folder.</summary>
    public static Service StartProgram(string name, string assembly, IEnumerable<string> arguments, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(assembly), RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var service = new Service(name, Process.Start(start)!);
        service.process.OutputDataReceived += (_, line) => service.Saw(line.Data);
        service.process.ErrorDataReceived += (_, line) => service.Saw(line.Data);
        service.process.BeginOutputReadLine();
        service.process.BeginErrorReadLine();
        return service;
    }

    /// <summary>User and system CPU time of the process so far.</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Resident set size now (VmRSS), in bytes.</summary>
    public long Rss() => Resident("VmRSS");

    /// <summary>
    /// What the resident set is, in bytes: anonymous memory (the GC heap, native allocations, thread stacks), mapped
    /// files (the assemblies' ReadyToRun code and metadata, shared with any process mapping them), and the runtime's
    /// W^X double-mapped memory split by view: the writable one holds the runtime's own data (type and method
    /// descriptions, stub data: the loader heaps), the executable one the JIT's code and stubs. The two views are of
    /// different pages (DOTNET_EnableWriteXorExecute=0 moves both into anonymous memory, the total unchanged).
    /// </summary>
    public (long Anonymous, long Files, long RuntimeData, long Code) RssParts()
    {
        var (writable, executable) = (0L, 0L);
        bool? executableView = null; // of the mapping whose lines are being read; null outside the double mapping
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/smaps"))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 5 && !fields[0].EndsWith(':'))
                {
                    // A mapping's header: range, permissions, offset, device, inode, name.
                    executableView = line.Contains("doublemapper", StringComparison.Ordinal) ? fields[1].Contains('x', StringComparison.Ordinal) : null;
                }
                else if (executableView is { } isCode && fields is ["Rss:", var kilobytes, "kB"])
                {
                    var bytes = long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                    if (isCode)
                    {
                        executable += bytes;
                    }
                    else
                    {
                        writable += bytes;
                    }
                }
            }
        }
        catch (IOException)
        {
            // The process ended: no parts to report.
        }

        return (Resident("RssAnon"), Resident("RssFile"), writable, executable);
    }

    private long Resident(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>The first line the process printed that holds <paramref name="text"/>, once it does.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        Volatile.Write(ref awaited, text);
        if (lastLines.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } printed)
        {
            seen.TrySetResult(printed); // printed before the wait began
        }

        var exited = process.WaitForExitAsync();
        var done = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        if (done != seen.Task)
        {
            throw new InvalidOperationException(
                $"{Name} did not print '{text}' ({(done == exited ? "exited " + process.ExitCode : "timed out")}); its last lines:\n{string.Join('\n', lastLines)}");
        }

        return await seen.Task;
    }

    public Task WaitForExitAsync(TimeSpan timeout) => ChildProcess.WaitForSuccessAsync(process, Name, timeout);

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
    }

    private void Saw(string? line)
    {
        if (line is null)
        {
            return;
        }

        lastLines.Enqueue(line);
        while (lastLines.Count > 60 && lastLines.TryDequeue(out _))
        {
        }

        if (Volatile.Read(ref awaited) is { } text && line.Contains(text, StringComparison.Ordinal))
        {
            seen.TrySetResult(line);
        }
    }
}

/// <summary>
/// The anchor: Grpc.AspNetCore on Kestrel (h2c) with nothing else, answering the same messages (serialized per call,
/// as any generated service does) and health SERVING.
/// </summary>
internal static class BareServer
{
    private const string Listening = "bare server listening on ";

    /// <summary>This program as the bare server answering those messages, a process of its own.</summary>
    public static async Task<Service> StartAsync(CommitteeView committeeView, NationalOverview overview, DirectoryInfo work)
    {
        var (viewFile, overviewFile) = (Path.Combine(work.FullName, "bare-committee-view.bin"), Path.Combine(work.FullName, "bare-overview.bin"));
        await File.WriteAllBytesAsync(viewFile, committeeView.ToByteArray());
        await File.WriteAllBytesAsync(overviewFile, overview.ToByteArray());
        return Service.StartProgram("bare gRPC server (limit)", typeof(BareServer).Assembly.Location, ["bare", viewFile, overviewFile], new Dictionary<string, string>());
    }

    /// <summary>The address the bare server prints once it listens.</summary>
    public static async Task<Uri> AddressAsync(Service bare)
    {
        var line = await bare.WaitForOutputAsync(Listening, TimeSpan.FromMinutes(1));
        return new Uri(line[(line.IndexOf(Listening, StringComparison.Ordinal) + Listening.Length)..].Trim());
    }

    /// <summary>The bare server itself, in its own process: serves the messages in the two files until it is stopped.</summary>
    public static async Task ServeAsync(string viewFile, string overviewFile)
    {
        var committeeView = CommitteeView.Parser.ParseFrom(await File.ReadAllBytesAsync(viewFile));
        var overview = NationalOverview.Parser.ParseFrom(await File.ReadAllBytesAsync(overviewFile));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new BareMembership(committeeView, overview));
        builder.Services.AddSingleton<BareHealth>();
        await using var app = builder.Build();
        app.MapGrpcService<BareMembership>();
        app.MapGrpcService<BareHealth>();
        await app.StartAsync();
        Console.WriteLine(Listening + app.Urls.First());
        await app.WaitForShutdownAsync();
    }
}

internal sealed class BareMembership(CommitteeView committeeView, NationalOverview overview) : MembershipService.MembershipServiceBase
{
    public override Task<CommitteeView> GetCommitteeView(GetCommitteeViewRequest request, ServerCallContext context) => Task.FromResult(committeeView);

    public override Task<NationalOverview> GetNationalOverview(GetNationalOverviewRequest request, ServerCallContext context) => Task.FromResult(overview);
}

internal sealed class BareHealth : Health.HealthBase
{
    private static readonly HealthCheckResponse Serving = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) => Task.FromResult(Serving);
}

/// <summary>One measured run: req/s, and the server's CPU time per request.</summary>
internal readonly record struct Run(double Rate, double CpuMicroseconds)
{
    public static Run Best(Run a, Run b) => a.Rate >= b.Rate ? a : b;
}
