using System.Diagnostics;

namespace Egov.Steering.TestSupport;

/// <summary>
/// Runs a tool the tests need (eng/infra.sh, msbuild, pg_dump, helm) to its end or its deadline: one that hangs is stopped
/// with its children and fails the test with what it wrote, instead of holding the suite until CI's time limit.
/// </summary>
public static class BoundedProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs the tool, writing <paramref name="input"/> (if any) to its standard input, until it exits or the deadline.</summary>
    public static async Task<Result> RunAsync(ProcessStartInfo start, TimeSpan deadline, string? input = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardInput = input is not null;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {deadline} and was stopped; it wrote:\n" +
                $"{await WrittenAsync(output).ConfigureAwait(false)}\n{await WrittenAsync(error).ConfigureAwait(false)}");
        }

        return new Result(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    // A stopped tool's pipes close with it, unless something it started outside its tree still holds them.
    private static async Task<string> WrittenAsync(Task<string> stream)
    {
        try
        {
            return await stream.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return "(its output is still held open by a process it started)";
        }
    }
}
