using Egov.Steering.BuildingBlocks.Tests.Messaging;
using Egov.Steering.Messaging.Outbox;
using Egov.Steering.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.BuildingBlocks.Tests.Outbox;

/// <summary>
/// A commit wakes its own host's relay once, in-process, and the relays of other replicas through its NOTIFY, which
/// its own listener ignores: a second wake-up of its relay cost a pass (a scope, a query) that found nothing.
/// </summary>
public sealed class OutboxWakeUpTests
{
    [Fact]
    public async Task A_commit_wakes_its_own_relay_once_and_another_replicas_relay_through_notify()
    {
        var database = await TestDatabase.CreatePostgresAsync();
        var topology = $"outbox-test.wake-up.{Guid.NewGuid():N}";
        MatchingCommands passesA = RelayPasses(), passesB = RelayPasses();
        // Only commits wake the relays here: the fallback poll is far away.
        await using var replicaA = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, outbox: Unpolled, services: s => s.AddSingleton<IInterceptor>(passesA));
        await using var replicaB = await MessagingTestHost.StartAsync(
            database, TestInfrastructure.RabbitMqUri, topology, outbox: Unpolled, services: s => s.AddSingleton<IInterceptor>(passesB));
        await passesA.SettledAsync();
        await passesB.SettledAsync();
        var (beforeA, beforeB) = (passesA.Count, passesB.Count);

        await using (var scope = replicaA.CreateScope(out var db))
        {
            await TestEvents.CommitChangeAsync(db, "committees/wake-up-1", 1);
        }

        await Eventually.WaitUntilAsync(database.AllPublishedAsync, "the row published");
        await passesA.SettledAsync();
        await passesB.SettledAsync();

        Assert.Equal(1, passesA.Count - beforeA);
        Assert.Equal(1, passesB.Count - beforeB);
    }

    private static void Unpolled(OutboxOptions options) => options.PollInterval = TimeSpan.FromMinutes(10);

    /// <summary>The relay's passes, by the query each starts with: the partitions that have due rows.</summary>
    private static MatchingCommands RelayPasses() =>
        new(text => text.Contains("SELECT DISTINCT", StringComparison.Ordinal) && text.Contains("outbox_messages", StringComparison.Ordinal));
}
