namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Where an outbox message belongs: its aggregate and the aggregate's version (1, 2, 3… per aggregate), which
/// fix the publishing order, plus extra transport headers and, when the message already carries an id, that id.
/// The "aggregate" is the ordering key: it may also name a stream shared by several aggregates' messages, which
/// then use version <see cref="InsertOrder"/> and go out in the order their rows were inserted.
/// </summary>
public sealed record OutboxRouting(string Aggregate, long AggregateVersion)
{
    /// <summary>The version of every message of a shared ordering key: such rows are published in insert order.</summary>
    public const long InsertOrder = 0;

    /// <summary>The message id to publish under; a new time-ordered id when not given.</summary>
    public Guid? MessageId { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
