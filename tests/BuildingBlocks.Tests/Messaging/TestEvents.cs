using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Outbox;
using Google.Protobuf.WellKnownTypes;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

public static class TestEvents
{
    public static EventEnvelope CommitteeUpdated(string committee, long version) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        Type = "egov.steering.events.v1.CommitteeUpdated",
        Source = "/tests/outbox",
        Subject = committee,
        Time = Timestamp.FromDateTime(DateTime.UtcNow),
        Aggregate = committee,
        AggregateVersion = version,
        CommitteeUpdated = new CommitteeUpdated { Committee = new Egov.Steering.Membership.V1.Committee { Name = committee } },
    };

    /// <summary>A decision's outcome, which must follow <paramref name="committee"/>'s version <paramref name="version"/>.</summary>
    public static EventEnvelope DecisionApplied(string decision, string committee, long version) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        Type = "egov.steering.events.v1.DecisionApplied",
        Source = "/tests/outbox",
        Subject = decision,
        Time = Timestamp.FromDateTime(DateTime.UtcNow),
        Aggregate = decision + "/outcome",
        AggregateVersion = 1,
        DecisionApplied = new DecisionApplied { Decision = decision, Committees = { committee }, AggregateVersions = { [committee] = version } },
    };

    /// <summary>One domain transaction: the committee's change and its event, committed together.</summary>
    public static async Task<EventEnvelope> CommitChangeAsync(MessagingTestDbContext db, string committee, long version)
    {
        var envelope = CommitteeUpdated(committee, version);
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.CommitteeChanges.Add(new CommitteeChange { Committee = committee, Version = version });
        db.AddOutboxEvent(envelope);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return envelope;
    }
}
