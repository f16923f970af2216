namespace Egov.Steering.TestSupport;

/// <summary>One server-sent event: its id, its event name and its (one-line) data.</summary>
public sealed record ServerSentEvent(string Id, string Event, string Data);

/// <summary>Reads a text/event-stream response frame by frame (the JSON/HTTP API's event stream).</summary>
public sealed class ServerSentEventReader(Stream body) : IDisposable
{
    private readonly StreamReader reader = new(body);

    /// <summary>The next frame with data (an event, a heartbeat or an error), skipping the retry line.</summary>
    public async Task<ServerSentEvent> ReadAsync()
    {
        string id = string.Empty, name = string.Empty, data = string.Empty;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    return new ServerSentEvent(id, name, data);
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var value = line[(colon + 1)..].TrimStart(' ');
            switch (line[..colon])
            {
                case "id": id = value; break;
                case "event": name = value; break;
                case "data": data = value; break;
            }
        }

        throw new EndOfStreamException("the stream ended");
    }

    /// <summary>The next <paramref name="count"/> frames named <c>event</c>, skipping heartbeats.</summary>
    public async Task<List<ServerSentEvent>> ReadEventsAsync(int count)
    {
        var events = new List<ServerSentEvent>();
        while (events.Count < count)
        {
            var next = await ReadAsync();
            if (next.Event == "event")
            {
                events.Add(next);
            }
        }

        return events;
    }

    public void Dispose() => reader.Dispose();
}
