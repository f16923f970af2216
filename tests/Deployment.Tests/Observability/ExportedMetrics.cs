using System.Diagnostics.Metrics;
using Egov.Steering.Decisions.Events;
using Egov.Steering.Membership;
using Egov.Steering.Messaging;
using Egov.Steering.Notifications;
using Egov.Steering.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Egov.Steering.Deployment.Tests.Observability;

/// <summary>
/// The Prometheus names of the metrics the services export, read from their code: every instrument of the
/// <c>Egov.Steering.*</c> meters, named as OpenTelemetry's Prometheus exporter names it on /metrics.
/// </summary>
public static class ExportedMetrics
{
    /// <summary>
    /// Metrics the chart's queries may use that the services do not define themselves, with who exports them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> External = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // RabbitMQ's own exporter: the rabbitmq_prometheus plugin, per-object metrics (labels vhost, queue).
        ["rabbitmq_queue_messages"] = "rabbitmq_prometheus",
        // The TLS listeners' certificate gauge agreed with the transport-security work (TLS-METRIC.md), exported once TLS is configured.
        ["steering_tls_certificate_expiry_seconds"] = "ServiceDefaults TLS",
    };

    public static IReadOnlySet<string> Names { get; } = Read();

    /// <summary>The Prometheus series names of an instrument.</summary>
    public static IEnumerable<string> PrometheusNames(string name, string? unit, bool counter, bool histogram)
    {
        var baseName = name.Replace('.', '_').Replace('-', '_');
        var suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "", // annotations like {message} name no unit
        };
        if (!baseName.EndsWith(suffix, StringComparison.Ordinal))
        {
            baseName += suffix;
        }

        return histogram ? [baseName + "_bucket", baseName + "_sum", baseName + "_count"]
            : counter ? [baseName + "_total"]
            : [baseName];
    }

    private static HashSet<string> Read()
    {
        // Each service makes its instruments from its host's IMeterFactory: these make them as the hosts do.
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        _ = (new MessagingMetrics(meters), new ServiceMetrics(meters), new MembershipMetrics(meters), new NotificationsTelemetry(meters));

        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("Egov.Steering.", StringComparison.Ordinal))
                {
                    var kind = instrument.GetType().GetGenericTypeDefinition();
                    names.UnionWith(PrometheusNames(
                        instrument.Name,
                        instrument.Unit,
                        counter: kind == typeof(Counter<>) || kind == typeof(ObservableCounter<>),
                        histogram: kind == typeof(Histogram<>)));
                }
            },
        };
        listener.Start(); // publishes every instrument created so far

        // Decisions' gauge belongs to a meter its host creates (IMeterFactory): its name comes from the same constant.
        names.UnionWith(PrometheusNames(OutcomeWatch.OverdueInstrument, "{decision}", counter: false, histogram: false));
        return names;
    }
}
