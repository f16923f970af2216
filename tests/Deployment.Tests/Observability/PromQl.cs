using System.Text.RegularExpressions;

namespace Egov.Steering.Deployment.Tests.Observability;

/// <summary>The metric names a PromQL expression (or a Grafana <c>label_values</c> query) reads.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan",
    };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        if (LabelValues().Match(expression) is { Success: true } labelValues)
        {
            return new HashSet<string>(StringComparer.Ordinal) { labelValues.Groups["metric"].Value };
        }

        // Strings, label matchers, ranges and grouping label lists hold label names and values, never metrics.
        var text = Strings().Replace(expression, " ");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Groupings().Replace(text, " ");
        return Identifiers().Matches(text)
            .Where(match => !Keywords.Contains(match.Value) && !IsCall(text, match))
            .Select(match => match.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    // A function or aggregation: an identifier followed by "(".
    private static bool IsCall(string text, Match match)
    {
        var next = match.Index + match.Length;
        while (next < text.Length && char.IsWhiteSpace(text[next]))
        {
            next++;
        }

        return next < text.Length && text[next] == '(';
    }

    [GeneratedRegex(@"^\s*label_values\(\s*(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)")]
    private static partial Regex LabelValues();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifiers();
}
