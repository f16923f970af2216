using System.Diagnostics;

namespace Egov.Steering.Messaging.Tracing;

/// <summary>
/// A W3C trace context kept with a message (an outbox row's headers, an event's CloudEvents distributed-tracing
/// extension), so that work done later, in another process, continues the trace of the work that produced it.
/// </summary>
public readonly record struct TraceContext(string TraceParent, string TraceState)
{
    /// <summary>The current activity's context, or null when nothing is being traced.</summary>
    public static TraceContext? Current => Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } activity
        ? new TraceContext(id, activity.TraceStateString ?? string.Empty)
        : null;

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
