using System.Text.Json;
using Egov.Steering.Deployment.Tests.Chart;
using Egov.Steering.TestSupport;

namespace Egov.Steering.Deployment.Tests.Observability;

/// <summary>
/// The Grafana dashboard and the PrometheusRule the chart ships: optional, and every query reads only metrics the
/// services export (<see cref="ExportedMetrics"/>, from their code) or the named exporters provide; every alert
/// links a runbook that exists in docs/runbooks.
/// </summary>
public sealed class DashboardAndAlertTests
{
    private static readonly RenderedChart Chart = RenderedChart.WithArguments(
        "--set", "metrics.dashboard.enabled=true", "--set", "metrics.prometheusRule.enabled=true");

    [Fact]
    public void The_dashboard_and_the_alerts_are_off_by_default()
    {
        var chart = RenderedChart.With("values.yaml");
        Assert.Empty(chart.OfKind("PrometheusRule"));
        Assert.DoesNotContain(chart.OfKind("ConfigMap"), map => map.Labels.ContainsKey("grafana_dashboard"));
    }

    [Fact]
    public void Every_dashboard_query_reads_exported_metrics()
    {
        var dashboard = Assert.Single(Chart.OfKind("ConfigMap"), map => map.Labels.GetValueOrDefault("grafana_dashboard") == "1");
        using var json = JsonDocument.Parse(dashboard.Root.At("data", "egov-steering.json").Text()!);
        var queries = json.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .Concat(json.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray()
                .Where(variable => variable.GetProperty("type").GetString() == "query")
                .Select(variable => variable.GetProperty("query").GetString()!))
            .ToList();

        Assert.True(queries.Count >= 10, $"{queries.Count} queries");
        Assert.All(queries, AssertReadsExportedMetrics);
    }

    [Fact]
    public void Every_alert_reads_exported_metrics_and_links_its_runbook()
    {
        var rule = Assert.Single(Chart.OfKind("PrometheusRule"));
        var alerts = rule.Root.At("spec", "groups").Items().SelectMany(group => group.At("rules").Items()).ToList();
        Assert.Equal(
            ["EgovSteeringBusRestarting", "EgovSteeringCertificateExpiresSoon", "EgovSteeringDecisionOutcomeOverdue", "EgovSteeringErrorQueueGrowing",
             "EgovSteeringFeedLag", "EgovSteeringInboxParkedTooLong", "EgovSteeringOutboxLag", "EgovSteeringWebhookFailures"],
            alerts.Select(alert => alert.At("alert").Text()).Order(StringComparer.Ordinal));
        foreach (var alert in alerts)
        {
            AssertReadsExportedMetrics(alert.At("expr").Text()!);
            var runbook = alert.At("annotations", "runbook_url").Text();
            const string Base = "https://github.com/egov-steering/egov-steering/blob/main/";
            Assert.StartsWith(Base + "docs/runbooks/", runbook, StringComparison.Ordinal);
            var (file, section) = runbook![Base.Length..].Split('#') is [var path, var anchor] ? (path, anchor) : (runbook[Base.Length..], null);
            var runbookPath = Path.Combine(TestInfrastructure.RepositoryRoot, file);
            Assert.True(File.Exists(runbookPath), $"{alert.At("alert").Text()}: {runbook} does not exist");
            if (section is not null)
            {
                // GitHub's anchor of a heading: lower case, spaces as hyphens.
                var anchors = File.ReadLines(runbookPath).Where(line => line.StartsWith('#')).Select(line => line.TrimStart('#').Trim().ToLowerInvariant().Replace(' ', '-'));
                Assert.True(anchors.Contains(section), $"{alert.At("alert").Text()}: {runbook} names no heading of the runbook");
            }
        }
    }

    [Fact]
    public void A_misspelt_or_unknown_metric_is_caught()
    {
        Assert.Equal(["steering_outbox_oldest_pending_age"], Unknown("max by (context) (steering_outbox_oldest_pending_age{namespace=\"x\"}) > 120"));
        Assert.Equal(["steering_feed_lag"], Unknown("max(steering_feed_lag) > 10 and on (pod) steering_feed_head_position > 0"));
        Assert.Empty(Unknown("sum by (outcome) (rate(steering_webhook_deliveries_total{outcome=~\"failed|retrying\"}[5m]))"));
        Assert.Equal(["steering_no_such_metric"], Unknown("label_values(steering_no_such_metric, namespace)"));
    }

    private static void AssertReadsExportedMetrics(string query)
    {
        Assert.NotEmpty(PromQl.MetricNames(query));
        Assert.True(Unknown(query).Count == 0, $"'{query}' reads metrics nothing exports: {string.Join(", ", Unknown(query))}");
    }

    private static List<string> Unknown(string query) =>
        [.. PromQl.MetricNames(query).Where(name => !ExportedMetrics.Names.Contains(name) && !ExportedMetrics.External.ContainsKey(name)).Order(StringComparer.Ordinal)];
}
