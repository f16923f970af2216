using System.Diagnostics;

namespace Egov.Steering.Messaging.Tracing;

/// <summary>
/// A W3C trace context kept with a message (an outbox row's headers, an event's CloudEvents distributed-tracing
/// extension), so that work done later, in another process, continues the trace of the work that produced it.
/// </summary>
public readonly record struct TraceContext(string TraceParent, string TraceState)
{
    /// <summary>The longest trace state kept (W3C Trace Context: a vendor may cut a longer one to 512 characters).</summary>
    public const int MaxTraceStateLength = 512;

    /// <summary>
    /// The current activity's context, or null when nothing is being traced. Its trace state, which a caller sets and
    /// no one bounds on the way in, is kept to its first list members that fit <see cref="MaxTraceStateLength"/>: it is
    /// stored with the message (an outbox row, a parked inbox row, the event log).
    /// </summary>
    public static TraceContext? Current => Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } activity
        ? new TraceContext(id, Bounded(activity.TraceStateString ?? string.Empty))
        : null;

    /// <summary>The leading list members of <paramref name="traceState"/> that fit in <see cref="MaxTraceStateLength"/> characters.</summary>
    public static string Bounded(string traceState)
    {
        ArgumentNullException.ThrowIfNull(traceState);
        if (traceState.Length <= MaxTraceStateLength)
        {
            return traceState;
        }

        var kept = traceState[..(MaxTraceStateLength + 1)];
        var end = kept.LastIndexOf(',');
        return end < 0 ? string.Empty : kept[..end].TrimEnd();
    }

    /// <summary>
    /// Starts a span of <paramref name="source"/> whose parent is the stored context (a new trace when it is absent or
    /// malformed); null when nobody listens to <paramref name="source"/>.
    /// </summary>
    public static Activity? StartActivity(ActivitySource source, string name, ActivityKind kind, string? traceParent, string? traceState)
    {
        ArgumentNullException.ThrowIfNull(source);
        return !string.IsNullOrEmpty(traceParent)
            && ActivityContext.TryParse(traceParent, string.IsNullOrEmpty(traceState) ? null : traceState, isRemote: true, out var parent)
                ? source.StartActivity(name, kind, parent)
                : source.StartActivity(name, kind);
    }
}
