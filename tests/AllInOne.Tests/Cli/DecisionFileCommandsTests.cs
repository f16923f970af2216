using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Egov.Steering.Access;
using Egov.Steering.Cli.Remote;
using Egov.Steering.TestSupport;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>
/// <c>steeringctl decisions draft|validate|issue</c> against a started sandbox of their own (these tests change its
/// register), with the very example files the READMEs show.
/// </summary>
public sealed class DecisionFileCommandsTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IDisposable
{
    private const string GiaLaiAddition = "gia-lai-2020-bo-sung";

    // Gia Lai's People's Committee records its own decisions, with the write token the README mints (write implies read).
    private readonly string clerk = DevelopmentTokens.Mint("province-2020-64", [SteeringScopes.Write], TimeSpan.FromHours(1));
    private readonly string folder = Directory.CreateTempSubdirectory("steeringctl-decisions-").FullName;

    private static string Example(string file) => Path.Combine(TestInfrastructure.RepositoryRoot, "services", "Cli", "examples", file);

    [Theory]
    [InlineData("yaml")]
    [InlineData("json")]
    public async Task A_shown_decision_saved_to_a_file_drafts_again_as_the_same_decision(string format)
    {
        var shown = await RunAsync("decisions", "show", GiaLaiAddition, "-o", format);
        Assert.Equal(ExitCodes.Ok, shown.ExitCode);
        var file = await SaveAsync($"shown.{format}", shown.Output);

        var drafted = await RunAsync("decisions", "draft", "-f", file, "--id", $"round-trip-{format}");

        Assert.Equal(ExitCodes.Ok, drafted.ExitCode);
        Assert.Contains($"Drafted decisions/round-trip-{format} (draft)", drafted.Output, StringComparison.Ordinal);
        Assert.Equal(await AuthoredAsync(GiaLaiAddition), await AuthoredAsync($"round-trip-{format}"));
    }

    [Fact]
    public async Task The_README_example_file_is_the_Gia_Lai_2020_decision_and_validating_it_again_lists_both_directors_as_problems()
    {
        var drafted = await RunAsync("decisions", "draft", "-f", Example("gia-lai-2020.yaml"), "--id", "gia-lai-2020-ban-sao");
        Assert.Equal(ExitCodes.Ok, drafted.ExitCode);
        Assert.Equal(await AuthoredAsync(GiaLaiAddition), await AuthoredAsync("gia-lai-2020-ban-sao"));

        // The sandbox applied the original: both directors are members already, and validate says so at once.
        var validated = await RunAsync("decisions", "validate", "gia-lai-2020-ban-sao");

        Assert.Equal(ExitCodes.Problems, validated.ExitCode);
        var rows = validated.Output.Split('\n');
        Assert.Contains(rows, row => row.Contains("changes[0]", StringComparison.Ordinal) && row.Contains("ALREADY_A_MEMBER", StringComparison.Ordinal));
        Assert.Contains(rows, row => row.Contains("changes[1]", StringComparison.Ordinal) && row.Contains("ALREADY_A_MEMBER", StringComparison.Ordinal));
        Assert.Contains("problem(s): correct the file", validated.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_example_printed_in_the_README_is_the_example_file()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(TestInfrastructure.RepositoryRoot, "services", "Cli", "README.md"));
        var example = readme[readme.IndexOf("### Example: the Gia Lai 2020 decision", StringComparison.Ordinal)..];
        var start = example.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var printed = example[start..example.IndexOf("```", start, StringComparison.Ordinal)];

        var file = (await File.ReadAllLinesAsync(Example("gia-lai-2020.yaml"))).Where(line => !line.StartsWith('#'));

        Assert.Equal(string.Join('\n', file), printed.TrimEnd('\n'));
    }

    [Fact]
    public async Task Drafting_the_same_file_twice_records_one_draft()
    {
        var first = await RunAsync("decisions", "draft", "-f", Example("gia-lai-2020.yaml"), "-o", "json");
        var second = await RunAsync("decisions", "draft", "-f", Example("gia-lai-2020.yaml"), "-o", "json");

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.Equal(JsonNode.Parse(first.Output)!["name"]!.GetValue<string>(), JsonNode.Parse(second.Output)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Draft_update_changes_only_the_fields_the_file_sets()
    {
        Assert.Equal(ExitCodes.Ok, (await RunAsync("decisions", "draft", "-f", Example("gia-lai-2020.yaml"), "--id", "to-be-renamed")).ExitCode);
        var file = await SaveAsync("title.yaml", "title: Bổ sung thành viên (bản sửa)\n");

        var updated = await RunAsync("decisions", "draft", "-f", file, "--update", "to-be-renamed");

        Assert.Equal(ExitCodes.Ok, updated.ExitCode);
        var decision = await AuthoredJsonAsync("to-be-renamed");
        Assert.Equal("Bổ sung thành viên (bản sửa)", decision["title"]!.GetValue<string>());
        Assert.Equal(2, decision["changes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Draft_update_from_a_file_shown_before_someone_else_changed_the_draft_is_refused()
    {
        Assert.Equal(ExitCodes.Ok, (await RunAsync("decisions", "draft", "-f", Example("gia-lai-2020.yaml"), "--id", "edited-twice")).ExitCode);
        var stale = await SaveAsync("stale.yaml", (await RunAsync("decisions", "show", "edited-twice", "-o", "yaml")).Output);
        var someoneElse = await SaveAsync("someone-else.yaml", "summary: Sửa bởi người khác\n");
        Assert.Equal(ExitCodes.Ok, (await RunAsync("decisions", "draft", "-f", someoneElse, "--update", "edited-twice")).ExitCode);

        var updated = await RunAsync("decisions", "draft", "-f", stale, "--update", "edited-twice");

        Assert.Equal(ExitCodes.Failed, updated.ExitCode);
        Assert.Contains("changed meanwhile", updated.Error, StringComparison.Ordinal);
        Assert.Equal("Sửa bởi người khác", (await AuthoredJsonAsync("edited-twice"))["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Issuing_the_README_exercise_applies_it_and_the_committee_shows_one_member_fewer()
    {
        // The national committee's records are the Prime Minister's. From 1619/QĐ-TTg (2021-09-24) it has 16 seats by office.
        var national = DevelopmentTokens.Mint("national", [SteeringScopes.Write], TimeSpan.FromHours(1));
        var drafted = await RunAsync("decisions", "draft", "-f", Example("exercise-relieve.yaml"), "--id", "exercise-relieve", "--token", national);
        Assert.Equal(ExitCodes.Ok, drafted.ExitCode);

        var issued = await RunAsync("decisions", "issue", "exercise-relieve", "--token", national);

        Assert.True(issued.ExitCode == ExitCodes.Ok, issued.Error);
        Assert.Contains("applied: decisions/exercise-relieve is in force", issued.Output, StringComparison.Ordinal);
        var before = await RunAsync("committees", "show", SampleCommittees.National, "--as-of", "2021-12-31");
        var after = await RunAsync("committees", "show", SampleCommittees.National, "--as-of", "2022-12-31");
        Assert.Contains("16 membership(s)", before.Output, StringComparison.Ordinal);
        Assert.Contains("15 membership(s)", after.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Một Thứ trưởng Bộ Thông tin và Truyền thông", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issuing_a_draft_with_problems_is_refused_with_every_problem_and_exit_6()
    {
        Assert.Equal(ExitCodes.Ok, (await RunAsync("decisions", "draft", "-f", Example("gia-lai-2020.yaml"), "--id", "issued-twice")).ExitCode);

        var issued = await RunAsync("decisions", "issue", "issued-twice");

        Assert.Equal(ExitCodes.Problems, issued.ExitCode);
        Assert.Contains("not issued:", issued.Error, StringComparison.Ordinal);
        Assert.Contains("changes[0]", issued.Error, StringComparison.Ordinal);
        Assert.Contains("changes[1]", issued.Error, StringComparison.Ordinal);

        // The line the README quotes as an example of such a refusal is one this refusal prints.
        var readme = await File.ReadAllTextAsync(Path.Combine(TestInfrastructure.RepositoryRoot, "services", "Cli", "README.md"));
        var quoted = Regex.Match(readme, @"e\.g\. `(changes\[0\][^:`]*): \.\.\. \[ALREADY_A_MEMBER\]`").Groups[1].Value;
        Assert.NotEmpty(quoted);
        Assert.Matches($@"(?m)^\s*{Regex.Escape(quoted)}: .*\[ALREADY_A_MEMBER\]$", issued.Error.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("broken.yaml", "issuer:\n  organisation: province-2020-64\n displayName: Ủy ban nhân dân tỉnh Gia Lai\n", "line 3")]
    [InlineData("misspelt.yaml", "titel: Bổ sung thành viên\n", "titel")]
    [InlineData("broken.json", "{ \"title\": ", "not valid JSON")]
    [InlineData("misspelt.json", "{ \"issuer\": { \"organization\": \"province-2020-64\" } }", "organization")]
    public async Task A_file_that_is_not_a_decision_exits_2_and_says_where(string name, string content, string expected)
    {
        var file = await SaveAsync(name, content);

        var drafted = await RunAsync("decisions", "draft", "-f", file);

        Assert.Equal(ExitCodes.BadUsage, drafted.ExitCode);
        Assert.StartsWith(file + ": ", drafted.Error, StringComparison.Ordinal);
        Assert.True(drafted.Error.Contains(expected, StringComparison.Ordinal), drafted.Error);
        Assert.Empty(drafted.Output);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // What an author wrote: the decision without what the server sets.
    private async Task<string> AuthoredAsync(string id) => (await AuthoredJsonAsync(id)).ToJsonString();

    private async Task<JsonObject> AuthoredJsonAsync(string id)
    {
        var shown = await RunAsync("decisions", "show", id, "-o", "json");
        Assert.Equal(ExitCodes.Ok, shown.ExitCode);
        var decision = JsonNode.Parse(shown.Output)!.AsObject();
        foreach (var field in new[] { "name", "ownerOrganisation", "state", "rejectionReasons", "issueTime", "outcomeTime", "createTime", "updateTime", "etag" })
        {
            decision.Remove(field);
        }

        return decision;
    }

    private async Task<string> SaveAsync(string name, string content)
    {
        var path = Path.Combine(folder, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    // As Gia Lai's clerk unless the test passes another --token.
    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        Steeringctl.RunAsync([.. args, "--address", "http://" + sandbox.Channel.Target, .. args.Contains("--token") ? [] : new[] { "--token", clerk }]);
}
