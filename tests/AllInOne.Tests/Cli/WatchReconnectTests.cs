using System.Globalization;
using Egov.Steering.Cli.Feed;
using Egov.Steering.Cli.Remote;
using Egov.Steering.TestSupport;
using Grpc.Core;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>A sandbox whose quiet streams send a heartbeat every second, so that "idle" comes quickly.</summary>
public sealed class QuickHeartbeatSandboxFixture : SandboxFixture
{
    protected override IEnumerable<string> Settings => ["--Notifications:Feed:HeartbeatInterval=00:00:01"];
}

/// <summary><c>steeringctl watch</c> across a server restart, and stopping when the feed is idle.</summary>
public sealed class WatchReconnectTests(QuickHeartbeatSandboxFixture sandbox) : IClassFixture<QuickHeartbeatSandboxFixture>
{
    [Fact]
    public async Task A_watch_reconnects_when_the_server_restarts_and_continues_after_the_last_event_it_printed()
    {
        var stateFile = Path.Combine(Path.GetTempPath(), $"steeringctl-watch-{Guid.NewGuid():N}.position");
        try
        {
            var start = await FeedSteps.LastPositionAsync(sandbox);
            var (before, after) = (FeedSteps.NewCommitteeId(), FeedSteps.NewCommitteeId());
            var watching = FeedSteps.RunAsync(
                sandbox, "watch", "--after", Text(start), "--type", "CommitteeCreated", "--committee", before, "--committee", after,
                "--count", "2", "--state-file", stateFile, "-o", "json");
            var first = await FeedSteps.CreateCommitteeAsync(sandbox, "ministry-btnmt", before, "Ban Chỉ đạo trước khi khởi động lại");
            var firstLogged = await FeedSteps.LoggedCreationAsync(sandbox, first);
            await Eventually.WaitUntilAsync(
                () => File.Exists(stateFile) && long.Parse(File.ReadAllText(stateFile), CultureInfo.InvariantCulture) >= firstLogged.Position,
                "watch printed the first committee");

            // The server rolls over: its streams end with UNAVAILABLE; the watch retries until it is back.
            await sandbox.RestartAsync();
            var second = await FeedSteps.CreateCommitteeAsync(sandbox, "ministry-bvhttdl", after, "Ban Chỉ đạo sau khi khởi động lại");
            var result = await watching;

            Assert.Equal(ExitCodes.Ok, result.ExitCode);
            Assert.Equal([first.Name, second.Name], FeedSteps.JsonLines(result.Output).Select(e => e.Committee));
            Assert.Contains("reconnecting in", result.Error, StringComparison.Ordinal);
            Assert.Contains("watch: resumed after position", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(stateFile);
        }
    }

    [Fact]
    public async Task Until_idle_from_the_beginning_prints_the_whole_log_in_position_order_then_exits_0()
    {
        var loggedBefore = await FeedSteps.LoggedAsync(sandbox);

        var result = await FeedSteps.RunAsync(sandbox, "watch", "--from-beginning", "--until-idle", "-o", "json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var watched = FeedSteps.JsonLines(result.Output);
        Assert.Equal(Enumerable.Range(1, watched.Count).Select(position => (long)position), watched.Select(e => e.Position));
        Assert.Equal(loggedBefore.Select(e => e.Id), watched.Take(loggedBefore.Count).Select(e => e.Id));
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.OutOfRange, false)]
    [InlineData(StatusCode.PermissionDenied, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    public void Only_the_failures_the_feed_documents_as_resumable_are_retried(StatusCode code, bool resumable) =>
        Assert.Equal(resumable, ResumingWatch.IsResumable(new RpcException(new Status(code, "test"))));

    [Fact]
    public void A_connection_lost_mid_stream_is_resumable()
    {
        var lost = new RpcException(new Status(StatusCode.Internal, "Error reading next message.", new IOException("The response ended prematurely.")));

        Assert.True(ResumingWatch.IsResumable(lost));
    }

    private static string Text(long number) => number.ToString(CultureInfo.InvariantCulture);
}
