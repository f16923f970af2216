namespace Egov.Steering.Messaging.Outbox;

public static class OutboxHeaders
{
    /// <summary>W3C trace context of the transaction that wrote the row.</summary>
    public const string TraceParent = "traceparent";
}
