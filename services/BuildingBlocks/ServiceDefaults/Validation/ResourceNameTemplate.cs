using System.Text.RegularExpressions;

namespace Egov.Steering.ServiceDefaults.Validation;

/// <summary>
/// An AIP-122 resource name pattern such as <c>committees/{committee}/memberships/{membership}</c>: literal
/// collection ids alternating with variable resource ids, each id <c>[a-z0-9-]{1,63}</c>.
/// </summary>
public sealed partial class ResourceNameTemplate
{
    private readonly string[] segments;

    public ResourceNameTemplate(string pattern)
    {
        segments = pattern.Split('/');
        if (segments.Length % 2 != 0 || segments.Where((_, index) => index % 2 == 1).Any(segment => !IsVariable(segment)))
        {
            throw new ArgumentException($"'{pattern}' is not of the form collection/{{id}}[/collection/{{id}}...]", nameof(pattern));
        }

        Pattern = pattern;
    }

    public string Pattern { get; }

    /// <summary>Checks a name against the pattern and returns its ids in order, or null when it does not match.</summary>
    public IReadOnlyList<string>? Match(string name)
    {
        var parts = name.Split('/');
        if (parts.Length != segments.Length)
        {
            return null;
        }

        var ids = new List<string>(parts.Length / 2);
        for (var index = 0; index < parts.Length; index += 2)
        {
            if (!string.Equals(parts[index], segments[index], StringComparison.Ordinal) || !IsValidId(parts[index + 1]))
            {
                return null;
            }

            ids.Add(parts[index + 1]);
        }

        return ids;
    }

    /// <summary>Builds a name from its ids (which must be valid ids).</summary>
    public string Format(params string[] ids)
    {
        if (ids.Length != segments.Length / 2 || !ids.All(IsValidId))
        {
            throw new ArgumentException($"ids [{string.Join(", ", ids)}] do not fit {Pattern}", nameof(ids));
        }

        return string.Join('/', segments.Select((segment, index) => index % 2 == 0 ? segment : ids[index / 2]));
    }

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public override string ToString() => Pattern;

    private static bool IsVariable(string segment) => segment is ['{', .., '}'];

    [GeneratedRegex("^[a-z0-9-]{1,63}$")]
    private static partial Regex IdPattern();
}
