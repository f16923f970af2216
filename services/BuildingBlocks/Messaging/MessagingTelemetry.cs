using MassTransit.Logging;
using MassTransit.Monitoring;

namespace Egov.Steering.Messaging;

/// <summary>What ServiceDefaults adds to OpenTelemetry so that traces run gRPC → outbox → RabbitMQ → consumer.</summary>
public static class MessagingTelemetry
{
    public const string ActivitySourceName = DiagnosticHeaders.DefaultListenerName;

    public const string MeterName = InstrumentationOptions.MeterName;

    /// <summary>Name and tag of the bus health check; the tag puts it in <c>/readyz</c>.</summary>
    public const string HealthCheckName = "bus";

    public const string ReadyTag = "ready";
}
