using System.Globalization;
using System.Text;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Google.Protobuf;

namespace Egov.Steering.Notifications.Web;

/// <summary>
/// The frames of <c>/v1/events:stream</c> as UTF-8: <c>id:</c> the position, <c>event: event|heartbeat</c>,
/// <c>data:</c> the proto3 JSON on one line.
/// </summary>
public static class ServerSentEventFrames
{
    /// <summary>Sent once before the first frame: EventSource waits this long (ms) before it reconnects.</summary>
    public static ReadOnlyMemory<byte> Preamble { get; } = "retry: 2000\n\n"u8.ToArray();

    // As JSON transcoding writes messages: every field, defaults included.
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static byte[] Event(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Frame(envelope.Position, "event", Json.Format(envelope));
    }

    public static byte[] Heartbeat(Heartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return Frame(heartbeat.Position, "heartbeat", Json.Format(heartbeat));
    }

    private static byte[] Frame(long id, string kind, string json) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {kind}\ndata: {json}\n\n"));
}
