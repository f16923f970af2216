using Google.Protobuf;

namespace Egov.Steering.ServiceDefaults.Paging;

/// <summary>
/// Pages bounded in bytes as well as in items: a page of large resources (a decision near its size limit, an event
/// carrying one) could pass gRPC's default 4 MiB receive limit however few they are, and a client could then read no
/// page at all. A page holds its items in order while it stays within <see cref="MaxBytes"/>, and at least one.
/// </summary>
public static class PageBytes
{
    /// <summary>At most this many bytes of items in a page (half a default client's receive limit: room for the rest).</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    /// <summary>How many of <paramref name="items"/>, from the first, a page holds: at least one when there is one.</summary>
    public static int Fitting(IEnumerable<IMessage> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var (count, bytes) = (0, 0L);
        foreach (var item in items)
        {
            var size = CodedOutputStream.ComputeMessageSize(item) + 1; // with its field tag
            if (count > 0 && bytes + size > MaxBytes)
            {
                break;
            }

            (count, bytes) = (count + 1, bytes + size);
        }

        return count;
    }
}
