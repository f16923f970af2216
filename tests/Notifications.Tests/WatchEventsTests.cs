using System.Diagnostics.Metrics;
using Egov.Steering.TestSupport;
using Egov.Steering.Events.V1;
using Egov.Steering.Membership.V1;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.Types.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Notifications.Tests;

public sealed class WatchEventsTests
{
    [Fact]
    public async Task Replay_then_live_has_no_gap_or_duplicate_while_events_keep_arriving()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var committee = new TestCommittee();
        var history = committee.Next(60);
        await host.SendAsync(history);
        await WaitForLoggedAsync(host, committee.Name, 20);

        // The stream starts while part of the history is still arriving and more is sent during the replay.
        using var call = host.Client.WatchEvents(
            new WatchEventsRequest { AfterPosition = 0, Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken);
        var more = committee.Next(140);
        var sending = host.SendAsync(more);
        var received = await call.ReadEventsAsync(200);
        await sending;

        Assert.Equal(Enumerable.Range(1, 200).Select(v => (long)v), received.Select(e => e.AggregateVersion));
        Assert.Equal(history.Concat(more).Select(e => e.Id), received.Select(e => e.Id));
        Assert.True(received.Zip(received.Skip(1)).All(pair => pair.First.Position < pair.Second.Position));
    }

    [Fact]
    public async Task A_client_resumes_after_its_last_position_without_loss_or_repeat()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var committee = new TestCommittee();
        var first = committee.Next(30);
        await host.SendAsync(first);
        await WaitForLoggedAsync(host, committee.Name, 30);

        long last;
        using (var call = host.Client.WatchEvents(
                   new WatchEventsRequest { AfterPosition = 0, Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken))
        {
            var seen = await call.ReadEventsAsync(12);
            last = seen[^1].Position;
        } // the client disconnects

        var later = committee.Next(20);
        await host.SendAsync(later);
        using var resumed = host.Client.WatchEvents(
            new WatchEventsRequest { AfterPosition = last, Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken);
        var rest = await resumed.ReadEventsAsync(38);

        Assert.Equal(first.Skip(12).Concat(later).Select(e => e.Id), rest.Select(e => e.Id));
    }

    [Fact]
    public async Task Filters_select_committees_levels_jurisdictions_and_types()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var gialai = new TestCommittee(CommitteeLevel.Province, "province-2025-52");
        var ministry = new TestCommittee(CommitteeLevel.Ministry, "ministry-btttt");
        using var byJurisdiction = host.Client.WatchEvents(
            new WatchEventsRequest { Filter = new EventFilter { Committees = { gialai.Name, ministry.Name }, Jurisdictions = { "ministry-btttt" } } },
            NotificationsHost.ReadToken);
        using var byLevelAndType = host.Client.WatchEvents(
            new WatchEventsRequest
            {
                Filter = new EventFilter
                {
                    Committees = { gialai.Name, ministry.Name },
                    Levels = { CommitteeLevel.Province },
                    EventTypes = { "egov.steering.events.v1.CommitteeUpdated" },
                },
            },
            NotificationsHost.ReadToken);
        // "From now" streams: the first heartbeat proves they are attached before anything is sent.
        await byJurisdiction.ResponseStream.MoveNext(CancellationToken.None);
        await byLevelAndType.ResponseStream.MoveNext(CancellationToken.None);

        var events = new[] { gialai.Next(), ministry.Next(), gialai.Next(membership: false), ministry.Next(membership: false), gialai.Next() };
        await host.SendAsync(events);

        Assert.Equal([events[1].Id, events[3].Id], (await byJurisdiction.ReadEventsAsync(2)).Select(e => e.Id));
        Assert.Equal([events[2].Id], (await byLevelAndType.ReadEventsAsync(1)).Select(e => e.Id));
        await WaitForLoggedAsync(host, gialai.Name, 3); // the streams above only waited for the ministry's last event
        var listed = await host.Client.ListEventsAsync(
            new ListEventsRequest { Filter = new EventFilter { Committees = { gialai.Name }, EventTypes = { "egov.steering.events.v1.MembershipStarted" } } },
            NotificationsHost.ReadToken);
        Assert.Equal([events[0].Id, events[4].Id], listed.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task A_stream_from_now_starts_with_a_heartbeat_without_waiting_an_interval()
    {
        // A heartbeat interval far longer than the test waits: only the first, immediate one can arrive.
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?> { ["Notifications:Feed:HeartbeatInterval"] = "00:10:00" });
        await using var host = await NotificationsHost.StartAsync(setup);
        var committee = new TestCommittee();
        await host.SendAsync(committee.Next(2));
        await WaitForLoggedAsync(host, committee.Name, 2);
        var now = (await host.Client.ListEventsAsync(new ListEventsRequest(), NotificationsHost.ReadToken)).Events[^1].Position;

        using var call = host.Client.WatchEvents(new WatchEventsRequest(), NotificationsHost.ReadToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(WatchEventsResponse.ItemOneofCase.Heartbeat, call.ResponseStream.Current.ItemCase);
        // Where the live feed stands: the log's end, or just behind it if the feed has not read the last append yet.
        Assert.InRange(call.ResponseStream.Current.Heartbeat.Position, 0, now);
    }

    [Fact]
    public async Task A_quiet_stream_gets_heartbeats_with_the_position_it_has_passed()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var watched = new TestCommittee();
        var other = new TestCommittee();
        using var call = host.Client.WatchEvents(
            new WatchEventsRequest { Filter = Streams.OnlyCommittee(watched.Name) }, NotificationsHost.ReadToken);
        await call.ResponseStream.MoveNext(CancellationToken.None);
        await host.SendAsync(other.Next(3));
        await WaitForLoggedAsync(host, other.Name, 3);
        var last = (await host.Client.ListEventsAsync(new ListEventsRequest { Filter = Streams.OnlyCommittee(other.Name) }, NotificationsHost.ReadToken)).Events[^1].Position;

        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.Null(call.ResponseStream.Current.Event);
            if (call.ResponseStream.Current.Heartbeat.Position >= last)
            {
                break;
            }
        }

        // At least there: other services' events may have been logged since.
        Assert.True(call.ResponseStream.Current.Heartbeat.Position >= last);
    }

    [Fact]
    public async Task Every_stream_writes_the_one_serialization_of_each_event()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var feed = host.Services.GetRequiredService<EventFeed>();
        await feed.Ready;
        var committee = new TestCommittee();
        var events = committee.Next(5);
        var subscribers = Enumerable.Range(0, 3).Select(_ => new FeedSubscriber(new EventFilterMatcher(Streams.OnlyCommittee(committee.Name)), 1 << 20)).ToList();
        subscribers.ForEach(feed.AttachAtEnd);
        var reads = subscribers.Select(async subscriber =>
        {
            var received = new List<FeedEvent>();
            await foreach (var feedEvent in subscriber.Reader.ReadAllAsync())
            {
                received.Add(feedEvent);
                if (received.Count == events.Count)
                {
                    break;
                }
            }

            return received;
        }).ToList();

        await host.SendAsync(events);
        var received = await Task.WhenAll(reads);
        subscribers.ForEach(feed.Detach);

        for (var i = 0; i < events.Count; i++)
        {
            var first = received[0][i].Response;
            Assert.Equal(new WatchEventsResponse { Event = received[0][i].Envelope }.ToByteArray(), first.Bytes);
            Assert.Equal(events[i].Id, WatchEventsResponse.Parser.ParseFrom(first.Bytes).Event.Id);
            Assert.All(received, stream => Assert.Same(first, stream[i].Response));
        }
    }

    [Fact]
    public async Task A_slow_consumer_is_cut_off_while_the_others_keep_up()
    {
        // At the fan-out itself: the streams' buffers, without a transport's own buffering in between.
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var feed = host.Services.GetRequiredService<EventFeed>();
        await feed.Ready;
        var committee = new TestCommittee();
        var events = committee.Next(300);
        var hundredEvents = 100 * events[0].CalculateSize(); // buffers are bounded in bytes
        var subscribers = Enumerable.Range(0, 3).Select(_ => new FeedSubscriber(new EventFilterMatcher(Streams.OnlyCommittee(committee.Name)), hundredEvents)).ToList();
        subscribers.ForEach(feed.AttachAtEnd);
        var fast = subscribers.Skip(1).Select(async subscriber =>
        {
            var ids = new List<string>();
            await foreach (var feedEvent in subscriber.Reader.ReadAllAsync())
            {
                ids.Add(feedEvent.Envelope.Id);
                if (ids.Count == 300)
                {
                    break;
                }
            }

            return ids;
        }).ToList();

        await host.SendAsync(events);
        var received = await Task.WhenAll(fast);

        Assert.All(received, ids => Assert.Equal(events.Select(e => e.Id), ids));
        var cutOff = await Assert.ThrowsAsync<FeedStreamException>(async () =>
        {
            await foreach (var _ in subscribers[0].Reader.ReadAllAsync())
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, cutOff.Code);
        Assert.True(subscribers[0].IsCutOff);
        subscribers.ForEach(feed.Detach);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_ended_with_resource_exhausted_and_resumes_from_its_last_position()
    {
        // Over real HTTP/2 on loopback: once the client's flow-control window is full the server's writes to it
        // block, and its small buffer overflows as a stalled dashboard's would (TestServer never pushes back).
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?>
        {
            ["Notifications:Feed:StreamBufferBytes"] = "32768", // 8 of the large events below
            ["Notifications:Feed:CutOffGracePeriod"] = "00:05:00", // longer than the test: the client reads again well before
        });
        await using var host = await NotificationsHost.StartAsync(setup, overKestrel: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)); // a regression fails, never hangs
        var committee = new TestCommittee();
        var request = new WatchEventsRequest { Filter = Streams.OnlyCommittee(committee.Name) };
        using var slow = host.Client.WatchEvents(request, NotificationsHost.ReadToken, cancellationToken: timeout.Token);
        using var keepingUp = host.Client.WatchEvents(request, NotificationsHost.ReadToken, cancellationToken: timeout.Token);
        // "From now" streams: the first heartbeat proves they are attached before anything is sent.
        Assert.True(await slow.ResponseStream.MoveNext(timeout.Token));
        var attachedAt = slow.ResponseStream.Current.Heartbeat.Position;
        Assert.True(await keepingUp.ResponseStream.MoveNext(timeout.Token));

        // The client that keeps up reads each event before the next is sent: a burst can outrun any reader by the 8
        // events of this small buffer on a busy machine (CI cut it off once). The slow one reads nothing.
        var events = LargeEvents(committee);
        var received = new List<EventEnvelope>();
        foreach (var envelope in events)
        {
            await host.SendAsync(envelope);
            received.AddRange(await keepingUp.ReadEventsAsync(1, timeout.Token));
        }

        Assert.Equal(events.Select(e => e.Id), received.Select(e => e.Id));

        // The slow client reads again: what reached it before the cut-off, then RESOURCE_EXHAUSTED.
        var (before, error) = await slow.ReadEventsUntilEndAsync(timeout.Token);
        Assert.NotNull(error);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("resume after the last position", error.Status.Detail, StringComparison.Ordinal);
        Assert.InRange(before.Count, 0, events.Count - 1);
        Assert.Equal(events.Take(before.Count).Select(e => e.Id), before.Select(e => e.Id));

        var last = before.Count > 0 ? before[^1].Position : attachedAt;
        using var resumed = host.Client.WatchEvents(
            new WatchEventsRequest { AfterPosition = last, Filter = request.Filter }, NotificationsHost.ReadToken, cancellationToken: timeout.Token);
        var rest = await resumed.ReadEventsAsync(events.Count - before.Count, timeout.Token);
        Assert.Equal(events.Select(e => e.Id), before.Concat(rest).Select(e => e.Id));
    }

    [Fact]
    public async Task A_cut_off_client_that_never_reads_again_has_its_stream_reset_after_the_grace_period()
    {
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?>
        {
            ["Notifications:Feed:StreamBufferBytes"] = "32768", // 8 of the large events below
            ["Notifications:Feed:CutOffGracePeriod"] = "00:00:01",
        });
        await using var host = await NotificationsHost.StartAsync(setup, overKestrel: true);
        long activeRequests = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "http.server.active_requests"
                && ReferenceEquals(instrument.Meter.Scope, host.Services.GetRequiredService<IMeterFactory>()))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, change, _, _) => Interlocked.Add(ref activeRequests, change));
        listener.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var committee = new TestCommittee();
        // Not cancelled by the timeout: that would end the request on the server too.
        using var stalled = host.Client.WatchEvents(new WatchEventsRequest { Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken);
        Assert.True(await stalled.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(1, Interlocked.Read(ref activeRequests));

        await host.SendAsync(LargeEvents(committee));

        // Its client never reads again, yet the server lets go of the stream instead of waiting on it forever.
        await Eventually.WaitUntilAsync(() => Interlocked.Read(ref activeRequests) == 0, "the stalled stream released by the server");
        var (_, error) = await stalled.ReadEventsUntilEndAsync(timeout.Token);
        Assert.NotNull(error);
    }

    [Fact]
    public async Task Open_streams_end_with_unavailable_on_shutdown_after_the_last_delivered_event()
    {
        var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        await using (host)
        {
            var committee = new TestCommittee();
            using var call = host.Client.WatchEvents(
                new WatchEventsRequest { AfterPosition = 0, Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken);
            var sent = committee.Next();
            await host.SendAsync(sent);
            Assert.Equal(sent.Id, (await call.ReadEventsAsync(1))[0].Id);

            var stopping = host.StopAsync();
            Assert.Equal(StatusCode.Unavailable, await call.ReadUntilErrorAsync());
            await stopping;
        }
    }

    [Fact]
    public async Task A_position_older_than_retention_is_out_of_range_while_zero_starts_at_what_is_kept()
    {
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?>
        {
            ["Notifications:Feed:Retention"] = "00:00:00.001",
            ["Notifications:Feed:PurgeInterval"] = "01:00:00",
        });
        await using var host = await NotificationsHost.StartAsync(setup);
        var committee = new TestCommittee();
        await host.SendAsync(committee.Next(5));
        await WaitForLoggedAsync(host, committee.Name, 5);
        var purgedThrough = await host.Services.GetRequiredService<LogRetention>().PurgeOnceAsync(CancellationToken.None);
        Assert.True(purgedThrough >= 5);

        using var call = host.Client.WatchEvents(new WatchEventsRequest { AfterPosition = 1 }, NotificationsHost.ReadToken);
        Assert.Equal(StatusCode.OutOfRange, await call.ReadUntilErrorAsync());
        var list = await Assert.ThrowsAsync<RpcException>(() =>
            host.Client.ListEventsAsync(new ListEventsRequest { AfterPosition = 1 }, NotificationsHost.ReadToken).ResponseAsync);
        Assert.Equal(StatusCode.OutOfRange, list.StatusCode);
        Assert.Contains("GetNationalOverview", list.Status.Detail, StringComparison.Ordinal);

        // Positions keep counting after the purge; 0 means the oldest event kept.
        var next = committee.Next();
        await host.SendAsync(next);
        using var fromStart = host.Client.WatchEvents(new WatchEventsRequest { AfterPosition = 0, Filter = Streams.OnlyCommittee(committee.Name) }, NotificationsHost.ReadToken);
        var kept = await fromStart.ReadEventsAsync(1);
        Assert.Equal(next.Id, kept[0].Id);
        Assert.True(kept[0].Position > purgedThrough);
    }

    [Fact]
    public async Task Bad_requests_are_invalid_argument()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        using var call = host.Client.WatchEvents(
            new WatchEventsRequest { AfterPosition = -1, Filter = new EventFilter { Committees = { "not a name" } } }, NotificationsHost.ReadToken);
        Assert.Equal(StatusCode.InvalidArgument, await call.ReadUntilErrorAsync());
    }

    private static readonly string LongDescription = string.Concat(Enumerable.Repeat("Chỉ đạo chuyển đổi số, phát triển chính phủ số. ", 60));

    /// <summary>About 4 KB each: 120 of them are several times what HTTP/2 and Kestrel buffer for a stream that is not read.</summary>
    internal static List<EventEnvelope> LargeEvents(TestCommittee committee, int count = 120)
    {
        var events = committee.Next(count, membership: false);
        events.ForEach(e => e.CommitteeUpdated.Committee = new Committee { Name = committee.Name, DisplayName = "Ban Chỉ đạo", Description = LongDescription });
        return events;
    }

    internal static Task WaitForLoggedAsync(NotificationsHost host, string committee, int count) =>
        Eventually.WaitUntilAsync(
            async () => (await host.Client.ListEventsAsync(
                new ListEventsRequest { PageSize = 500, Filter = Streams.OnlyCommittee(committee) }, NotificationsHost.ReadToken)).Events.Count >= count,
            $"{count} events of {committee} logged");
}
