namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// A message arrived before an earlier version of its aggregate: thrown so that MassTransit retries it later,
/// once the missing version has been handled. Never a reason to skip or reorder.
/// </summary>
public sealed class InboxGapException(string consumer, string aggregate, long expected, long received)
    : Exception($"{consumer}: {aggregate} v{received} arrived before v{expected}; retrying until the gap is filled")
{
    public string Aggregate { get; } = aggregate;

    public long ExpectedVersion { get; } = expected;

    public long ReceivedVersion { get; } = received;
}
