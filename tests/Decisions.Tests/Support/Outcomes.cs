using Egov.Steering.Events.V1;
using Egov.Steering.Types.V1;
using Google.Protobuf.WellKnownTypes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Decisions.Tests.Support;

/// <summary>The outcome events Membership publishes, as it publishes them (an EventEnvelope on the bus).</summary>
public static class Outcomes
{
    public static EventEnvelope Applied(string decision) => Envelope(decision, DecisionApplied.Descriptor.FullName, envelope =>
        envelope.DecisionApplied = new DecisionApplied { Decision = decision, Committees = { Drafts.GiaLaiCommittee } });

    public static EventEnvelope Rejected(string decision, params ValidationProblem[] reasons) => Envelope(decision, DecisionRejected.Descriptor.FullName, envelope =>
        envelope.DecisionRejected = new DecisionRejected { Decision = decision, Reasons = { reasons } });

    /// <summary>Publishes on the host's bus under the envelope's id, retrying while the broker is still reconnecting.</summary>
    public static async Task PublishAsync(this DecisionsHost host, EventEnvelope envelope)
    {
        var bus = host.App.Services.GetRequiredService<IBus>();
        await Eventually.WaitUntilAsync(
            async () =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await bus.Publish(envelope, context => context.MessageId = Guid.Parse(envelope.Id), timeout.Token);
                    return true;
                }
                catch (Exception e) when (e is MassTransitException or OperationCanceledException)
                {
                    return false;
                }
            },
            $"{envelope.Type} published");
    }

    private static EventEnvelope Envelope(string decision, string type, Action<EventEnvelope> set)
    {
        var envelope = new EventEnvelope
        {
            Id = Guid.NewGuid().ToString(),
            Type = type,
            Source = "//membership.steering.egov.gov.vn",
            Subject = decision,
            Time = Timestamp.FromDateTime(DateTime.UtcNow),
            Aggregate = decision + "/outcome",
            AggregateVersion = 1,
            CommitteeLevel = CommitteeLevel.Province,
            Jurisdiction = Drafts.GiaLai,
            Committee = Drafts.GiaLaiCommittee,
        };
        set(envelope);
        return envelope;
    }
}
