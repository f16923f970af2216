using System.Diagnostics;

namespace Egov.Steering.Bench;

/// <summary>A step the bench runs as a process of its own (a service's <c>migrate</c>).</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Waits for <paramref name="process"/> to end successfully. One that hangs (a broker that never answers) is stopped
    /// with its children at <paramref name="deadline"/>, so the run ends with a message instead of never.
    /// </summary>
    public static async Task WaitForSuccessAsync(Process process, string name, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} did not end within {deadline}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name} exited with {process.ExitCode}");
        }
    }
}
