using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.V1;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Egov.Steering.Notifications.Tests;

public sealed class EventLogReplicaTests
{
    [Fact]
    public async Task Concurrent_appenders_on_two_replicas_never_expose_a_higher_position_before_a_lower_one()
    {
        var setup = await NotificationsHost.NewSetupAsync();
        await using var replica1 = await NotificationsHost.StartAsync(setup);
        await using var replica2 = await NotificationsHost.StartAsync(setup); // same database, same queue: competing appenders
        var committees = Enumerable.Range(0, 20).Select(_ => new TestCommittee()).ToList();
        var events = Enumerable.Range(0, 15).SelectMany(_ => committees.Select(c => c.Next())).ToList();

        // A reader that polls the log all along: every snapshot must be 1..n without a hole, or a reader given
        // the highest position could later find a lower one appear.
        using var stop = new CancellationTokenSource();
        var snapshots = 0;
        var reader = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(setup.Database);
            await connection.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await using var command = new NpgsqlCommand("SELECT position FROM event_log ORDER BY position", connection);
                var positions = new List<long>();
                await using (var rows = await command.ExecuteReaderAsync())
                {
                    while (await rows.ReadAsync())
                    {
                        positions.Add(rows.GetInt64(0));
                    }
                }

                Assert.Equal(Enumerable.Range(1, positions.Count).Select(p => (long)p), positions);
                snapshots++;
            }
        });

        await replica1.SendAsync(events);
        var filter = new EventFilter { Committees = { committees.Select(c => c.Name) } };
        await Eventually.WaitUntilAsync(
            async () => (await replica2.Client.ListEventsAsync(new ListEventsRequest { PageSize = 500, Filter = filter }, NotificationsHost.ReadToken)).Events.Count == events.Count,
            "every event logged");
        await stop.CancelAsync();
        await reader;

        Assert.True(snapshots > 0);
        var logged = (await replica1.Client.ListEventsAsync(new ListEventsRequest { PageSize = 500, Filter = filter }, NotificationsHost.ReadToken)).Events;
        Assert.Equal(events.Select(e => e.Id).Order(), logged.Select(e => e.Id).Order());
        Assert.All(logged.GroupBy(e => e.Committee), group => Assert.Equal(Enumerable.Range(1, 15).Select(v => (long)v), group.Select(e => e.AggregateVersion)));
    }

    [Fact]
    public async Task An_append_on_one_replica_reaches_the_live_streams_of_both_at_once_without_waiting_for_a_poll()
    {
        var setup = await NotificationsHost.NewSetupAsync(new Dictionary<string, string?> { ["Notifications:Feed:PollInterval"] = "00:10:00" });
        await using var appending = await NotificationsHost.StartAsync(setup);
        await using var other = await NotificationsHost.StartAsync(setup);
        var committee = new TestCommittee();
        var request = new WatchEventsRequest { AfterPosition = 0, Filter = Streams.OnlyCommittee(committee.Name) };
        // The poll is 10 minutes away: once a stream is live, only the commit (here) and its NOTIFY (there) bring events.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var options = new global::Grpc.Core.CallOptions(NotificationsHost.ReadToken, cancellationToken: deadline.Token);
        using var local = appending.Client.WatchEvents(request, options);
        using var remote = other.Client.WatchEvents(request, options);
        var first = committee.Next();
        await AppendAsync(appending, first);
        Assert.Equal(first.Id, Assert.Single(await local.ReadEventsAsync(1, deadline.Token)).Id);
        Assert.Equal(first.Id, Assert.Single(await remote.ReadEventsAsync(1, deadline.Token)).Id);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // both streams are live by now

        var second = committee.Next();
        await AppendAsync(appending, second);
        Assert.Equal(second.Id, Assert.Single(await local.ReadEventsAsync(1, deadline.Token)).Id);
        Assert.Equal(second.Id, Assert.Single(await remote.ReadEventsAsync(1, deadline.Token)).Id);
    }

    [Fact]
    public async Task A_copy_of_an_event_appended_on_another_replica_at_the_same_time_is_skipped_once_that_one_commits()
    {
        var setup = await NotificationsHost.NewSetupAsync();
        await using var first = await NotificationsHost.StartAsync(setup);
        await using var second = await NotificationsHost.StartAsync(setup);
        var envelope = new TestCommittee().Next();

        // The first replica has appended the event and not committed yet; the second, republished a copy (another message
        // id), appends it too: it waits for the append lock, then finds the first one's row.
        await using var firstScope = first.Services.CreateAsyncScope();
        var firstDb = firstScope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await using var firstTransaction = await firstDb.Database.BeginTransactionAsync();
        Assert.NotNull(await EventLog.AppendAsync(firstDb, envelope, DateTime.UtcNow, default));
        var copy = AppendAsync(second, envelope);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(copy.IsCompleted, "the copy waits for the first append's commit");
        await firstTransaction.CommitAsync();

        Assert.Null(await copy);
        await using var scope = first.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        Assert.Equal(1, await db.Events.CountAsync(e => e.EventId == envelope.Id));
    }

    /// <summary>Appends in a unit of work of its own; the row, or null if the event was logged before.</summary>
    private static async Task<LoggedEvent?> AppendAsync(NotificationsHost replica, EventEnvelope envelope)
    {
        await using var scope = replica.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var appended = await EventLog.AppendAsync(db, envelope, DateTime.UtcNow, default);
        await transaction.CommitAsync();
        return appended;
    }
}
