namespace Egov.Steering.Messaging.Inbox;

/// <summary>The aggregate a message belongs to and its version there (versions count 1, 2, 3… per aggregate).</summary>
public sealed record InboxOrdering(string Aggregate, long Version);
