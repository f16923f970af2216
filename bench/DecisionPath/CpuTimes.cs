namespace Egov.Steering.Bench.DecisionPath;

/// <summary>
/// CPU time (user + system, from /proc) of the service processes, PostgreSQL and RabbitMQ: taken before and after a
/// scenario, it says where a decision's CPU goes, which on two cores is what bounds decisions per second.
/// </summary>
internal sealed class CpuTimes(IReadOnlyDictionary<string, TimeSpan> byProcess)
{
    private IReadOnlyDictionary<string, TimeSpan> ByProcess { get; } = byProcess;

    private const string PostgreSql = "PostgreSQL";
    private const string RabbitMq = "RabbitMQ";
    private const string Bench = "bench";
    private static readonly string[] NotServices = [PostgreSql, RabbitMq, Bench];

    public static CpuTimes Take(IReadOnlyDictionary<string, int> services)
    {
        var times = services.ToDictionary(service => service.Key, service => ProcStat.OfProcess(service.Value));
        times[PostgreSql] = OfAll("postgres");
        times[RabbitMq] = OfAll("beam.smp");
        times[Bench] = ProcStat.OfProcess(Environment.ProcessId);
        return new CpuTimes(times);
    }

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

    private static TimeSpan OfAll(string command) => Directory.Exists("/proc")
        ? Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Where(pid => ProcStat.ReadFile($"/proc/{pid}/comm") == command)
            .Aggregate(TimeSpan.Zero, (sum, pid) => sum + ProcStat.OfProcess(int.Parse(pid!, System.Globalization.CultureInfo.InvariantCulture)))
        : TimeSpan.Zero;
}
