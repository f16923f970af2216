using System.Collections.Concurrent;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// The wake-up signals of a host's relays, one per DbContext: a host may run the outboxes of several services (the
/// sandbox runs Membership's and Decisions'), and a commit must wake the relay of its own outbox, not whichever relay
/// waited first.
/// </summary>
internal sealed class OutboxSignals
{
    private readonly ConcurrentDictionary<Type, OutboxSignal> _byContext = new();

    /// <summary>
    /// Names this host in the NOTIFY its commits send: its listeners ignore those (the in-process signal woke the relay
    /// already; a second wake-up cost a pass that found nothing), other replicas' listeners do not.
    /// </summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    public OutboxSignal For(Type contextType) => _byContext.GetOrAdd(contextType, _ => new OutboxSignal());
}
