using System.Globalization;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Documents;
using Egov.Steering.Events.V1;
using Egov.Steering.TestSupport;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary><c>steeringctl watch</c> against a started sandbox: the change a script waits for, resuming, stopping.</summary>
public sealed class WatchCommandTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Watch_as_json_prints_the_committee_created_after_the_position_it_started_from()
    {
        var start = await FeedSteps.LastPositionAsync(sandbox);
        var id = FeedSteps.NewCommitteeId();
        var watching = FeedSteps.RunAsync(sandbox, "watch", "--after", Text(start), "--committee", id, "--count", "1", "-o", "json");

        await FeedSteps.CreateCommitteeAsync(sandbox, "ministry-byt", id, "Ban Chỉ đạo chuyển đổi số Bộ Y tế");
        var result = await watching;

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var watched = Assert.Single(FeedSteps.JsonLines(result.Output));
        Assert.Equal(EventEnvelope.EventOneofCase.CommitteeCreated, watched.EventCase);
        Assert.Equal($"committees/{id}", watched.Committee);
        Assert.Equal("Ban Chỉ đạo chuyển đổi số Bộ Y tế", watched.CommitteeCreated.Committee.DisplayName);
        Assert.True(watched.Position > start, $"position {watched.Position} after {start}");
    }

    [Fact]
    public async Task Watch_as_yaml_prints_one_document_per_event_that_parses_back_to_the_logged_events()
    {
        var logged = await FeedSteps.LoggedAsync(sandbox);

        var result = await FeedSteps.RunAsync(sandbox, "watch", "--from-beginning", "--count", "2", "-o", "yaml");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var documents = result.Output.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        var watched = documents.Select(document =>
            ProtoDocuments.Parser.Parse<EventEnvelope>(ProtoDocuments.ReadYaml(new StringReader(document)).ToJsonString()));
        Assert.Equal(logged.Take(2), watched);
    }

    [Fact]
    public async Task Watch_as_text_prints_one_line_with_position_type_committee_and_what_changed()
    {
        var start = await FeedSteps.LastPositionAsync(sandbox);
        var id = FeedSteps.NewCommitteeId();
        var watching = FeedSteps.RunAsync(sandbox, "watch", "--after", Text(start), "--committee", id, "--type", "CommitteeCreated", "--count", "1");

        var committee = await FeedSteps.CreateCommitteeAsync(sandbox, "ministry-bgddt", id, "Ban Chỉ đạo chuyển đổi số Bộ Giáo dục và Đào tạo");
        var result = await watching;

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var line = Assert.Single(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var logged = await FeedSteps.LoggedCreationAsync(sandbox, committee);
        Assert.Matches($@"^\s*{logged.Position}\s+\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+CommitteeCreated\s+{id}\s+thành lập / created: Ban Chỉ đạo chuyển đổi số Bộ Giáo dục và Đào tạo$", line);
        Assert.DoesNotContain("\u001b[", result.Output, StringComparison.Ordinal); // no colour codes in a pipe
    }

    [Fact]
    public async Task Watch_after_a_position_returns_exactly_the_logged_events_after_it_without_gap_or_duplicate()
    {
        var logged = await FeedSteps.LoggedAsync(sandbox);
        var after = logged[logged.Count / 2].Position;
        var expected = logged.Where(e => e.Position > after).ToList();

        var result = await FeedSteps.RunAsync(sandbox, "watch", "--after", Text(after), "--count", Text(expected.Count), "-o", "json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var watched = FeedSteps.JsonLines(result.Output);
        Assert.Equal(expected.Select(e => (e.Position, e.Id)), watched.Select(e => (e.Position, e.Id)));
    }

    [Fact]
    public async Task Ctrl_C_exits_0_and_a_watch_restarted_with_its_state_file_resumes_after_what_it_printed()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), $"steeringctl-watch-{Guid.NewGuid():N}.position");
        try
        {
            var id = FeedSteps.NewCommitteeId();
            var start = await FeedSteps.LastPositionAsync(sandbox);
            using var ctrlC = new CancellationTokenSource();
            var watching = FeedSteps.RunAsync(sandbox, ctrlC.Token, "watch", "--after", Text(start), "--committee", id, "--state-file", stateFile, "-o", "json");
            var committee = await FeedSteps.CreateCommitteeAsync(sandbox, "ministry-bkhcn", id, "Ban Chỉ đạo chuyển đổi số Bộ Khoa học và Công nghệ");
            var created = await FeedSteps.LoggedCreationAsync(sandbox, committee);
            await Eventually.WaitUntilAsync(() => File.Exists(stateFile) && File.ReadAllText(stateFile).Trim() == Text(created.Position), "watch saved the position it printed");

            await ctrlC.CancelAsync();
            var stopped = await watching;

            Assert.Equal(ExitCodes.Ok, stopped.ExitCode);
            Assert.Equal([created.Id], FeedSteps.JsonLines(stopped.Output).Select(e => e.Id));

            // Restarted with the same command line minus --after: the state file says where it was.
            await FeedSteps.DescribeCommitteeAsync(sandbox, committee, "Theo dõi bằng steeringctl watch");
            var resumed = await FeedSteps.RunAsync(sandbox, "watch", "--committee", id, "--state-file", stateFile, "--count", "1", "-o", "json");

            Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
            var updated = Assert.Single(FeedSteps.JsonLines(resumed.Output));
            Assert.Equal(EventEnvelope.EventOneofCase.CommitteeUpdated, updated.EventCase);
            Assert.Equal(Text(updated.Position), File.ReadAllText(stateFile).Trim());
        }
        finally
        {
            File.Delete(stateFile);
        }
    }

    [Fact]
    public async Task A_position_the_log_does_not_hold_exits_7_and_says_to_take_a_fresh_snapshot()
    {
        var beyondTheEnd = await FeedSteps.LastPositionAsync(sandbox) + 1_000_000;

        var result = await FeedSteps.RunAsync(sandbox, "watch", "--after", Text(beyondTheEnd));

        Assert.Equal(ExitCodes.PositionOutOfRange, result.ExitCode);
        Assert.Contains("steeringctl overview", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("watch", "--after", "3", "--from-beginning")]
    [InlineData("watch", "--after", "-1")]
    [InlineData("watch", "--count", "0")]
    [InlineData("watch", "--type", "MembershipAppointed")]
    [InlineData("watch", "--level", "district")]
    [InlineData("watch", "--state-file", "/no/such/folder/feed.position")]
    public async Task A_watch_command_line_that_does_not_parse_exits_2_and_says_why(params string[] args)
    {
        var result = await FeedSteps.RunAsync(sandbox, args);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }

    private static string Text(long number) => number.ToString(CultureInfo.InvariantCulture);
}
