using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Google.Protobuf.WellKnownTypes;

namespace Egov.Steering.Notifications.Tests;

/// <summary>
/// Membership's outbox publishes a committee's events and the decision's outcome from different partitions, so the
/// outcome may reach Notifications first: the feed still shows it after every event the decision caused.
/// </summary>
public sealed class DecisionOutcomeOrderTests
{
    private const int Decisions = 10;
    private const int EventsPerDecision = 3;

    [Fact]
    public async Task A_DecisionApplied_that_arrives_before_the_events_it_caused_is_logged_after_them()
    {
        await using var host = await NotificationsHost.StartAsync(await NotificationsHost.NewSetupAsync());
        var committees = Enumerable.Range(0, Decisions).Select(_ => new TestCommittee()).ToList();
        var filter = new EventFilter { Committees = { committees.Select(c => c.Name) } };
        using var call = host.Client.WatchEvents(new WatchEventsRequest { AfterPosition = 0, Filter = filter }, NotificationsHost.ReadToken);

        // Each decision's outcome is sent first, then its effects: the worst order the publishing can take.
        foreach (var committee in committees)
        {
            var effects = committee.Next(EventsPerDecision);
            await host.SendAsync([Applied(committee, effects), .. effects]);
        }

        var feed = await call.ReadEventsAsync(Decisions * (EventsPerDecision + 1));

        Assert.Equal(Decisions * (EventsPerDecision + 1), feed.Count);
        foreach (var committee in committees)
        {
            var positions = feed.Where(e => e.Committee == committee.Name).ToList();
            var outcome = Assert.Single(positions, e => e.EventCase == EventEnvelope.EventOneofCase.DecisionApplied);
            Assert.All(
                positions.Where(e => e != outcome),
                effect => Assert.True(effect.Position < outcome.Position, $"{effect.Type} v{effect.AggregateVersion} at {effect.Position} after the outcome at {outcome.Position}"));
        }
    }

    private static EventEnvelope Applied(TestCommittee committee, IReadOnlyList<EventEnvelope> effects)
    {
        var decision = "decisions/d-" + Guid.NewGuid().ToString("N")[..12];
        return new EventEnvelope
        {
            Id = Guid.CreateVersion7().ToString(),
            Source = "//membership.steering.egov.gov.vn",
            Type = DecisionApplied.Descriptor.FullName,
            Subject = decision,
            Time = Timestamp.FromDateTime(DateTime.UtcNow),
            Aggregate = decision + "/outcome",
            AggregateVersion = 1,
            CommitteeLevel = effects[0].CommitteeLevel,
            Jurisdiction = effects[0].Jurisdiction,
            Committee = committee.Name,
            DecisionApplied = new DecisionApplied
            {
                Decision = decision,
                Committees = { committee.Name },
                AggregateVersions = { [committee.Name] = effects[^1].AggregateVersion },
            },
        };
    }
}
