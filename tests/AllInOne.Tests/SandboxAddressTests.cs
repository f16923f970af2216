using Egov.Steering.Access;
using Egov.Steering.AllInOne.Tests.Cli;
using Egov.Steering.Cli.Remote;
using Microsoft.Extensions.Configuration;

namespace Egov.Steering.AllInOne.Tests;

/// <summary>
/// A sandbox on ports of its own (here free ones) tells steeringctl where it is through its address file, and its
/// banner's steeringctl commands work as printed, before the grpcurl ones.
/// </summary>
public sealed class SandboxAddressTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private string Address => "http://" + sandbox.Channel.Target + "/";

    [Fact]
    public async Task Steeringctl_finds_a_sandbox_on_other_ports_without_address_and_the_file_goes_when_it_stops()
    {
        Assert.Equal(Address, SandboxAddressFile.Read(sandbox.AddressFile));

        var (exitCode, output, error) = await SteeringctlProcess.RunAsync(
            new Dictionary<string, string?>
            {
                [SandboxAddressFile.Variable] = sandbox.AddressFile,
                [RemoteOptions.TokenVariable] = DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1)),
            },
            "committees", "show", SampleCommittees.GiaLai, "--as-of", "2020-12-31");

        Assert.True(exitCode == ExitCodes.Ok, error);
        Assert.Contains("17 membership(s)", output, StringComparison.Ordinal);

        var removed = false;
        await sandbox.RestartAsync(whileStopped: () => removed = !File.Exists(sandbox.AddressFile));
        Assert.True(removed);
        Assert.Equal(Address, SandboxAddressFile.Read(sandbox.AddressFile));
    }

    [Fact]
    public async Task The_health_port_follows_the_grpc_port_so_one_setting_moves_the_sandbox()
    {
        await using var app = Sandbox.Build([$"--Sandbox:DataPath={Path.Combine(Path.GetTempPath(), "steering-unused-" + Guid.NewGuid().ToString("N"))}", "--Hosting:GrpcPort=5200"]);

        Assert.Equal(5210, app.Configuration.GetValue<int>("Hosting:HttpPort"));
        Assert.Equal(new Uri("http://127.0.0.1:5200"), app.Configuration.GrpcAddress());
        Directory.Delete(app.Configuration[Sandbox.DataPathKey]!, recursive: true);
    }

    [Fact]
    public async Task The_banner_shows_steeringctl_commands_first_and_each_runs_as_printed()
    {
        var token = DevelopmentTokens.Mint("national", SteeringScopes.All, TimeSpan.FromHours(1));
        var lines = SandboxBanner.Text(sandbox.App, token).Split('\n').Select(line => line.Trim()).ToList();
        var steeringctl = lines.Where(line => line.StartsWith(SandboxBanner.Steeringctl, StringComparison.Ordinal)).ToList();
        var grpcurl = lines.FindIndex(line => line.StartsWith("grpcurl", StringComparison.Ordinal));

        Assert.Contains($"export STEERINGCTL_TOKEN={token}", lines);
        Assert.Contains(sandbox.AddressFile, string.Join('\n', lines), StringComparison.Ordinal);
        Assert.NotEmpty(steeringctl);
        Assert.All(steeringctl, line => Assert.True(lines.IndexOf(line) < grpcurl, line));
        foreach (var line in steeringctl.Where(line => !line.Contains(" watch ", StringComparison.Ordinal)))
        {
            var args = line[SandboxBanner.Steeringctl.Length..].Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var result = await Steeringctl.RunAsync([.. args, "--address", Address, "--token", token]);
            Assert.True(result.ExitCode == ExitCodes.Ok, $"{line}: {result.Error}");
        }
    }
}
