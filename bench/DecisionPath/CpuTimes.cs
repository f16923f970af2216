namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// CPU time (user + system, from /proc) of the service processes, PostgreSQL and RabbitMQ: taken before and after a
/// scenario, it says where a decision's CPU goes, which on two cores is what bounds decisions per second.
/// </summary>
internal sealed class CpuTimes(IReadOnlyDictionary<string, TimeSpan> byProcess)
{
    private IReadOnlyDictionary<string, TimeSpan> ByProcess { get; } = byProcess;

    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    private const string PostgreSql = "PostgreSQL";
    private const string RabbitMq = "RabbitMQ";
    private const string Bench = "bench";
    private static readonly string[] NotServices = [PostgreSql, RabbitMq, Bench];

    public static CpuTimes Take(IReadOnlyDictionary<string, int> services)
    {
        var times = services.ToDictionary(service => service.Key, service => Of(service.Value));
        times[PostgreSql] = OfAll("postgres");
        times[RabbitMq] = OfAll("beam.smp");
        times[Bench] = Of(Environment.ProcessId);
        return new CpuTimes(times);
    }

    /// <summary>
    /// CPU time so far of each service's tiered-compilation thread (".NET Tiered Compilation Worker"), by process and
    /// thread id: the JIT recompiling hot methods in the background. The thread exits when idle and another starts later.
    /// </summary>
    public static IReadOnlyDictionary<(int Process, int Thread), TimeSpan> TieredCompilation(IEnumerable<int> processes) =>
        processes
            .SelectMany(pid => ThreadsOf(pid).Select(tid => (Process: pid, Thread: tid)))
            .Where(thread => ReadFile($"/proc/{thread.Process}/task/{thread.Thread}/comm").StartsWith(".NET Tiered", StringComparison.Ordinal))
            .ToDictionary(thread => thread, thread => OfStat($"/proc/{thread.Process}/task/{thread.Thread}/stat"));

    /// <summary>Milliseconds of CPU per second of each process between <paramref name="before"/> and this.</summary>
    public string PerSecondSince(CpuTimes before, TimeSpan elapsed) => Since(before, elapsed.TotalSeconds);

    /// <summary>Whether every service process spent less than <paramref name="msPerSecond"/> of CPU a second since <paramref name="before"/>.</summary>
    public bool ServicesIdleSince(CpuTimes before, TimeSpan elapsed, double msPerSecond) =>
        MsSince(before, elapsed.TotalSeconds).Where(p => !NotServices.Contains(p.Process)).All(p => p.Ms < msPerSecond);

    /// <summary>Milliseconds of CPU per decision of each process between <paramref name="before"/> and this.</summary>
    public string PerDecisionSince(CpuTimes before, int decisions) => Since(before, decisions);

    private string Since(CpuTimes before, double divisor)
    {
        var parts = MsSince(before, divisor).ToList();
        return string.Join("  ", parts.Select(p => $"{p.Process} {p.Ms:F1}")) + $"  total {parts.Sum(p => p.Ms):F1}";
    }

    // Each process's milliseconds of CPU since before, divided by divisor.
    private IEnumerable<(string Process, double Ms)> MsSince(CpuTimes before, double divisor) =>
        ByProcess.Select(p => (p.Key, (p.Value - before.ByProcess.GetValueOrDefault(p.Key)).TotalMilliseconds / divisor));

    private static TimeSpan Of(int pid) => OfStat($"/proc/{pid}/stat");

    private static TimeSpan OfStat(string path)
    {
        try
        {
            // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
            var stat = File.ReadAllText(path);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromSeconds((long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero; // the process has gone
        }
    }

    private static TimeSpan OfAll(string command) => Directory.Exists("/proc")
        ? Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(pid => ReadFile($"/proc/{pid}/comm") == command)
            .Aggregate(TimeSpan.Zero, (sum, pid) => sum + Of(int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture)))
        : TimeSpan.Zero;

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return ""; // the process or thread has gone
        }
    }

    private static IEnumerable<int> ThreadsOf(int pid)
    {
        try
        {
            return [.. Directory.EnumerateDirectories($"/proc/{pid}/task").Select(path => int.Parse(Path.GetFileName(path), System.Globalization.CultureInfo.InvariantCulture))];
        }
        catch (IOException)
        {
            return [];
        }
    }
}
