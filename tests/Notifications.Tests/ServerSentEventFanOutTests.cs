using System.Runtime.InteropServices;
using System.Text;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.Feed;
using Egov.Steering.Notifications.Web;
using Microsoft.AspNetCore.Http;

namespace Egov.Steering.Notifications.Tests;

/// <summary>Server-sent event streams share each live event's JSON as gRPC streams share its protobuf bytes.</summary>
public sealed class ServerSentEventFanOutTests
{
    [Fact]
    public async Task Every_stream_writes_the_same_frame_formatted_once_for_the_event()
    {
        var envelope = new TestCommittee().Next();
        envelope.Position = 7;
        var feedEvent = FeedEvent.Of(envelope);
        var bodies = Enumerable.Range(0, 3).Select(_ => new RecordingStream()).ToList();
        foreach (var body in bodies)
        {
            var http = new DefaultHttpContext();
            http.Response.Body = body;
            await new ServerSentEventSink(http.Response).WriteEventAsync(feedEvent, CancellationToken.None);
        }

        // The last write of each stream is the event's frame: the very same array, not a copy formatted per stream.
        var frames = bodies.Select(body => body.Writes[^1]).ToList();
        Assert.All(frames, frame => Assert.Same(frames[0], frame));
        var text = Encoding.UTF8.GetString(frames[0]);
        Assert.StartsWith("id: 7\nevent: event\ndata: {", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n\n", text, StringComparison.Ordinal);
        Assert.Equal(envelope, EventEnvelope.Parser.ParseJson(text["id: 7\nevent: event\ndata: ".Length..^2]));
    }

    /// <summary>A response body that keeps the array behind each write.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public List<byte[]> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Assert.True(MemoryMarshal.TryGetArray(buffer, out var segment));
            Writes.Add(segment.Array!);
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
