using System.Diagnostics;
using System.Text.RegularExpressions;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Infrastructure;

/// <summary>A tool the tests run (eng/infra.sh, msbuild, pg_dump) that hangs fails its test at a deadline, children and all.</summary>
public sealed partial class BoundedProcessTests
{
    [Fact]
    public async Task A_tool_that_hangs_is_stopped_with_its_children_at_its_deadline_and_reported_with_what_it_wrote()
    {
        var start = new ProcessStartInfo("bash");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("sleep 300 & echo \"child $!\"; wait");

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => BoundedProcess.RunAsync(start, TimeSpan.FromSeconds(2)));

        var child = int.Parse(ChildPid().Match(timeout.Message).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.WaitUntilAsync(() => Task.FromResult(!IsRunning(child)), "the hanging tool's child to be stopped");
    }

    [Fact]
    public async Task A_tool_that_ends_gives_its_exit_code_and_what_it_wrote()
    {
        var start = new ProcessStartInfo("bash");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("echo out; echo err >&2; exit 3");

        var result = await BoundedProcess.RunAsync(start, TimeSpan.FromMinutes(1));

        Assert.Equal((3, "out\n", "err\n"), (result.ExitCode, result.Output, result.Error));
    }

    // A process that ended but was not reaped yet (a zombie) is not running.
    private static bool IsRunning(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1][0] is not 'Z' and not 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"child (\d+)")]
    private static partial Regex ChildPid();
}
