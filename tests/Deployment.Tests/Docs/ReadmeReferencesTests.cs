using System.Text.RegularExpressions;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Deployment.Tests.Docs;

/// <summary>
/// The READMEs are where a newcomer starts, so every file they name must exist: a relative link, or a path in
/// backticks (a name with a folder and an extension, e.g. <c>services/Membership/UseCases/CommitteeUseCases.cs</c>),
/// taken from the README's folder or the repository's root. A rename that forgets the map fails here.
/// </summary>
public sealed partial class ReadmeReferencesTests
{
    public static TheoryData<string> Readmes()
    {
        var data = new TheoryData<string>();
        foreach (var readme in Directory.EnumerateFiles(TestInfrastructure.RepositoryRoot, "README.md", SearchOption.AllDirectories)
                     .Select(path => Path.GetRelativePath(TestInfrastructure.RepositoryRoot, path))
                     .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(IsGeneratedFolder))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(readme);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void EveryFileAReadmeNamesExists(string readme)
    {
        var folder = Path.GetDirectoryName(Path.Combine(TestInfrastructure.RepositoryRoot, readme))!;
        var text = File.ReadAllText(Path.Combine(TestInfrastructure.RepositoryRoot, readme));
        var missing = ReferencedPaths(text)
            .Where(path => !File.Exists(Path.Combine(folder, path)) && !Directory.Exists(Path.Combine(folder, path))
                           && !File.Exists(Path.Combine(TestInfrastructure.RepositoryRoot, path))
                           && !Directory.Exists(Path.Combine(TestInfrastructure.RepositoryRoot, path)))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, $"{readme} names what is not there: {string.Join(", ", missing)}");
    }

    [Fact]
    public void TheRequestPathMapIsRead()
    {
        var map = File.ReadAllText(Path.Combine(TestInfrastructure.RepositoryRoot, "services", "README.md"));

        // The map names files in every layer of the path; the theory above keeps each of them true.
        Assert.True(ReferencedPaths(map).Count() >= 10, "services/README.md should map the request path by file");
    }

    private static IEnumerable<string> ReferencedPaths(string markdown)
    {
        foreach (Match link in MarkdownLink().Matches(markdown))
        {
            var target = link.Groups["target"].Value.Split('#')[0];
            if (target.Length > 0 && !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                yield return Uri.UnescapeDataString(target);
            }
        }

        foreach (Match code in BacktickedPath().Matches(markdown))
        {
            yield return code.Groups["path"].Value;
        }
    }

    private static bool IsGeneratedFolder(string segment) => segment is "bin" or "obj" or "node_modules" or ".git";

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    /// <summary>A backticked relative path with at least one folder and a file extension (no spaces, globs or URLs).</summary>
    [GeneratedRegex(@"`(?<path>(?:\.\./)*[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+\.(?:cs|proto|md|json|yaml|yml|sh|csproj|props|mjs|js|html|css|sql|tpl|txt|csv))`")]
    private static partial Regex BacktickedPath();
}
