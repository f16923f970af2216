using System.IO.Hashing;
using System.Text;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Spreads aggregates over a fixed number of partitions. The partition is stored in each row, so the count is
/// part of the data, not a per-replica setting: two replicas with different counts could publish one aggregate
/// concurrently. Relays only visit partitions that have pending rows, so a generous fixed count costs nothing.
/// </summary>
internal static class OutboxPartitions
{
    public const int Count = 64;

    public static int Of(string aggregate) =>
        (int)(XxHash32.HashToUInt32(Encoding.UTF8.GetBytes(aggregate)) % Count);
}
