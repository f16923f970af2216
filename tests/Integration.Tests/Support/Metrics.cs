using System.Globalization;
using System.Text.RegularExpressions;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>One scrape of a service's Prometheus endpoint (text exposition format), read back by name and labels.</summary>
public sealed partial class Metrics
{
    private static readonly HttpClient Http = new();
    private readonly List<(string Name, string Labels, double Value)> samples;

    private Metrics(List<(string Name, string Labels, double Value)> samples) => this.samples = samples;

    public static async Task<Metrics> ScrapeAsync(ServiceHost host)
    {
        var text = await Http.GetStringAsync(new Uri(host.HttpAddress, "/metrics"));
        var samples = new List<(string, string, double)>();
        foreach (Match match in Sample().Matches(text))
        {
            samples.Add((match.Groups["name"].Value, match.Groups["labels"].Value,
                double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return new Metrics(samples);
    }

    /// <summary>Every metric name in the scrape.</summary>
    public IReadOnlySet<string> Names => samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of <paramref name="name"/>'s samples whose labels contain every one of <paramref name="labels"/> (<c>key="value"</c>); null when none.</summary>
    public double? Value(string name, params string[] labels)
    {
        var matching = samples.Where(s => s.Name == name && labels.All(label => s.Labels.Contains(label, StringComparison.Ordinal))).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})?\s+(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
