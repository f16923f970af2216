using System.Diagnostics;
using System.Globalization;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Infrastructure;

/// <summary>
/// A port handed to a host is bound only when the host starts: until then no other draw, in this process or in a test
/// assembly beside it, may be given the same port (CI once failed a dashboard test with "address already in use").
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void A_port_is_handed_out_once()
    {
        // 400 draws from ~7,000 ports repeat one with near certainty when each draw only checks that nobody listens.
        var ports = Enumerable.Range(0, 400).Select(_ => TestInfrastructure.FreePort()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
    }

    [Fact]
    public async Task A_port_handed_out_is_refused_to_every_other_process_until_this_one_ends()
    {
        var port = TestInfrastructure.FreePort();

        // What another test process's draw of the same port tries first: the port's lock, without waiting.
        var other = new ProcessStartInfo("flock", ["--nonblock", "--conflict-exit-code", "75", TestInfrastructure.PortLockFile(port), "true"]);
        var attempt = await BoundedProcess.RunAsync(other, TimeSpan.FromMinutes(1));

        Assert.True(attempt.ExitCode == 75, string.Create(CultureInfo.InvariantCulture, $"port {port}: flock exited {attempt.ExitCode} {attempt.Error}"));
    }
}
