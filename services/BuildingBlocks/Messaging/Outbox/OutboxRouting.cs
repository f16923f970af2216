namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Where an outbox message belongs: its aggregate and the aggregate's version (1, 2, 3… per aggregate), which
/// fix the publishing order, plus extra transport headers and, when the message already carries an id, that id.
/// </summary>
public sealed record OutboxRouting(string Aggregate, long AggregateVersion)
{
    /// <summary>The message id to publish under; a new time-ordered id when not given.</summary>
    public Guid? MessageId { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
