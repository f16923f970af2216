using Egov.Steering.Access;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Egov.Steering.Notifications.Tests;

/// <summary>Abusive stream clients: thousands of replays never read, and one caller opening stream after stream.</summary>
// Alone: the memory figure is this process's managed heap, which other tests running at the same time would move.
[Collection(nameof(StreamMemoryCollection))]
public sealed class StreamLimitsTests(ITestOutputHelper output)
{
    /// <summary>A generous bound on what one unread replay stream may cost this process (server and client side).</summary>
    private const long BytesPerUnreadStream = 512 * 1024;

    [Fact]
    public async Task Unread_replay_streams_hold_a_bounded_amount_of_memory_while_a_live_stream_keeps_receiving()
    {
        const int unreadStreams = 40;
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?>
        {
            ["Notifications:Feed:MaxStreamsPerCaller"] = unreadStreams.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        // Over real HTTP/2: a client that does not read pushes back on the server's writes (TestServer never does).
        await using var host = await NotificationsHost.StartAsync(setup, overKestrel: true);
        // About 2.4 MB of log: a stream that buffered a 500-event page would hold about 2 MB of it.
        var committee = new TestCommittee();
        var history = WatchEventsTests.LargeEvents(committee, 700);
        await AppendAsync(host, history);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5)); // a regression fails, never hangs
        using (var reader = host.Client.WatchEvents(new WatchEventsRequest { AfterPosition = 0 }, NotificationsHost.ReadToken, cancellationToken: timeout.Token))
        {
            Assert.Equal(history.Count, (await reader.ReadEventsAsync(history.Count, timeout.Token)).Count); // warm: every path has run once
        }

        var live = host.Client.WatchEvents(new WatchEventsRequest { Filter = Streams.OnlyCommittee(committee.Name) }, Token("live-dashboard"), cancellationToken: timeout.Token);
        Assert.True(await live.ResponseStream.MoveNext(timeout.Token)); // attached ("from now" starts with a heartbeat)
        var before = ManagedHeap();

        var unread = Enumerable.Range(0, unreadStreams)
            .Select(_ => host.Client.WatchEvents(new WatchEventsRequest { AfterPosition = 0 }, Token("careless-script"), cancellationToken: timeout.Token))
            .ToList();
        // One event read from each proves its replay has started; then none of them is read again.
        foreach (var call in unread)
        {
            Assert.Single(await call.ReadEventsAsync(1, timeout.Token));
        }

        var more = WatchEventsTests.LargeEvents(committee, 20);
        await AppendAsync(host, more);
        var received = await live.ReadEventsAsync(more.Count, timeout.Token);
        Assert.Equal(more.Select(e => e.Id), received.Select(e => e.Id));

        var perStream = (ManagedHeap() - before) / unreadStreams;
        output.WriteLine($"managed heap per unread replay stream: {perStream / 1024} KiB");
        Assert.True(perStream < BytesPerUnreadStream, $"an unread replay stream holds {perStream / 1024} KiB (bound {BytesPerUnreadStream / 1024} KiB)");
        // The streamer's own accounting: no stream ever held more than one page of the log.
        var open = host.Services.GetRequiredService<StreamAdmission>().Open;
        Assert.Equal(unreadStreams + 1, open.Count);
        Assert.All(open, stream => Assert.InRange(stream.PeakHeldBytes, 0, new FeedOptions().ReplayPageBytes));
        Assert.Equal(unreadStreams, open.Count(stream => stream.PeakHeldBytes > 0)); // the replays (the live stream read no page)
        unread.ForEach(call => call.Dispose());
        live.Dispose();
    }

    [Fact]
    public async Task A_caller_over_its_stream_limit_and_a_process_at_its_total_are_refused_with_a_retry_hint()
    {
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?>
        {
            ["Notifications:Feed:MaxStreamsPerCaller"] = "2",
            ["Notifications:Feed:MaxStreams"] = "3",
            ["Notifications:Feed:RefusedStreamRetryDelay"] = "00:00:07",
        });
        await using var host = await NotificationsHost.StartAsync(setup);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = await OpenAsync(host, "dashboard-a", timeout.Token);
        using var second = await OpenAsync(host, "dashboard-a", timeout.Token);

        var overCaller = await RefusalAsync(host, "dashboard-a", timeout.Token);
        Assert.Equal("TOO_MANY_STREAMS_FOR_CALLER", overCaller.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(TimeSpan.FromSeconds(7), overCaller.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan());
        Assert.Contains("dashboard-a", overCaller.GetDetail<QuotaFailure>()?.Violations.Single().Subject, StringComparison.Ordinal);

        // Another caller still has room, up to the process's total.
        using var third = await OpenAsync(host, "dashboard-b", timeout.Token);
        var overTotal = await RefusalAsync(host, "dashboard-c", timeout.Token);
        Assert.Equal("TOO_MANY_STREAMS", overTotal.GetDetail<ErrorInfo>()?.Reason);
        Assert.Equal(TimeSpan.FromSeconds(7), overTotal.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan());

        // A stream that ends gives its place back.
        first.Dispose();
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var call = host.Client.WatchEvents(new WatchEventsRequest(), Token("dashboard-c"), cancellationToken: timeout.Token);
                try
                {
                    return await call.ResponseStream.MoveNext(timeout.Token);
                }
                catch (RpcException exception) when (exception.StatusCode == StatusCode.ResourceExhausted)
                {
                    return false;
                }
            },
            "a place freed by the stream that ended");
    }

    private static Metadata Token(string subject) =>
        NotificationsHost.Bearer(DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1), subject));

    /// <summary>A "from now" stream, admitted: its first heartbeat has arrived.</summary>
    private static async Task<AsyncServerStreamingCall<WatchEventsResponse>> OpenAsync(NotificationsHost host, string subject, CancellationToken cancellationToken)
    {
        var call = host.Client.WatchEvents(new WatchEventsRequest(), Token(subject), cancellationToken: cancellationToken);
        Assert.True(await call.ResponseStream.MoveNext(cancellationToken));
        return call;
    }

    private static async Task<Google.Rpc.Status> RefusalAsync(NotificationsHost host, string subject, CancellationToken cancellationToken)
    {
        using var call = host.Client.WatchEvents(new WatchEventsRequest(), Token(subject), cancellationToken: cancellationToken);
        var (_, error) = await call.ReadEventsUntilEndAsync(cancellationToken);
        Assert.NotNull(error);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        return error.GetRpcStatus() ?? throw new InvalidOperationException("no google.rpc.Status in the trailers");
    }

    /// <summary>Appends straight to the log, the way the consumer does (the broker's pace is not what is tested).</summary>
    private static async Task AppendAsync(NotificationsHost host, List<EventEnvelope> events)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var envelope in events)
        {
            await EventLog.AppendAsync(db, envelope, DateTime.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync(); // each next position is counted from the rows saved
        }

        await transaction.CommitAsync();
    }

    private static long ManagedHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}

[CollectionDefinition(nameof(StreamMemoryCollection), DisableParallelization = true)]
public sealed class StreamMemoryCollection;
