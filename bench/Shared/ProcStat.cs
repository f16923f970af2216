namespace Egov.Steering.Bench;

/// <summary>CPU time (user + system) from /proc: of a process, and of the JIT's tiered-compilation threads.</summary>
internal static class ProcStat
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan OfProcess(int pid) => OfStat($"/proc/{pid}/stat");

    /// <summary>
    /// CPU time so far of each process's tiered-compilation thread (".NET Tiered Compilation Worker"), by process and
    /// thread id: the JIT recompiling hot methods in the background. The thread exits when idle and another starts later.
    /// </summary>
    public static IReadOnlyDictionary<(int Process, int Thread), TimeSpan> TieredCompilation(IEnumerable<int> processes) =>
        processes
            .SelectMany(pid => ThreadsOf(pid).Select(tid => (Process: pid, Thread: tid)))
            .Where(thread => ReadFile($"/proc/{thread.Process}/task/{thread.Thread}/comm").StartsWith(".NET Tiered", StringComparison.Ordinal))
            .ToDictionary(thread => thread, thread => OfStat($"/proc/{thread.Process}/task/{thread.Thread}/stat"));

    /// <summary>Milliseconds of CPU the processes' tiered-compilation threads spent since <paramref name="before"/>.</summary>
    public static double TieredCompilationMsSince(IReadOnlyDictionary<(int Process, int Thread), TimeSpan> before, IEnumerable<int> processes) =>
        TieredCompilation(processes).Sum(thread => (thread.Value - before.GetValueOrDefault(thread.Key)).TotalMilliseconds);

    /// <summary>The file's text, or "" once the process or thread it describes has gone.</summary>
    public static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static TimeSpan OfStat(string path)
    {
        var stat = ReadFile(path);
        if (stat.Length == 0)
        {
            return TimeSpan.Zero; // the process has gone
        }

        // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / TicksPerSecond);
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
