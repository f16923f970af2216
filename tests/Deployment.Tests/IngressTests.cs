using Egov.Steering.Deployment.Tests.Chart;
using Google.Protobuf.Reflection;

namespace Egov.Steering.Deployment.Tests;

/// <summary>From outside the cluster only the public API is reachable: no internal method, no reflection unless asked.</summary>
public sealed class IngressTests
{
    private const string Reflection = "/grpc.reflection.v1.ServerReflection";
    private const string ReflectionAlpha = "/grpc.reflection.v1alpha.ServerReflection";

    private static readonly ServiceDescriptor Audit = Egov.Steering.Audit.V1.AuditService.Descriptor;

    // What each service hosts, and the methods only other services call.
    private static readonly Dictionary<string, (ServiceDescriptor Api, string[] Internal)> Services = new()
    {
        ["membership"] = (Egov.Steering.Membership.V1.MembershipService.Descriptor, ["PreviewChanges"]),
        ["decisions"] = (Egov.Steering.Decisions.V1.DecisionsService.Descriptor, []),
        ["notifications"] = (Egov.Steering.Notifications.V1.NotificationsService.Descriptor, []),
    };

    [Theory]
    [InlineData("values-dev.yaml")]
    [InlineData("values-external.yaml")]
    public void EveryPublicMethodIsRoutedAndNothingElse(string valuesFile)
    {
        var rules = IngressRules(RenderedChart.With(valuesFile));
        Assert.Equal(Services.Keys.Order(), rules.Keys.Order());
        foreach (var (service, (api, internalMethods)) in Services)
        {
            var paths = rules[service];
            var routed = new[] { Audit, api }.SelectMany(descriptor => descriptor.Methods)
                .Where(method => Matches(paths, $"/{method.Service.FullName}/{method.Name}")).ToList();

            Assert.Equal(
                new[] { Audit, api }.SelectMany(descriptor => descriptor.Methods).Where(method => !internalMethods.Contains(method.Name)).Select(method => method.FullName),
                routed.Select(method => method.FullName));
            Assert.DoesNotContain(paths, path => path.Path == "/");
            Assert.False(Matches(paths, Reflection + "/ServerReflectionInfo"), $"{service}: reflection is reachable");
            Assert.False(Matches(paths, ReflectionAlpha + "/ServerReflectionInfo"), $"{service}: reflection is reachable");
            Assert.False(Matches(paths, "/grpc.health.v1.Health/Check"), $"{service}: health is reachable");
        }
    }

    [Fact]
    public void ReflectionIsRoutedOnlyWhenAsked()
    {
        var chart = RenderedChart.WithArguments("--values", System.IO.Path.Combine(Helm.ChartDirectory, "values-external.yaml"), "--set", "ingress.reflection=true");
        foreach (var (service, paths) in IngressRules(chart))
        {
            Assert.True(Matches(paths, Reflection + "/ServerReflectionInfo"), service);
            Assert.True(Matches(paths, ReflectionAlpha + "/ServerReflectionInfo"), service);
        }
    }

    [Fact]
    public void TheJsonApiGoesToTheHttpPortThroughItsOwnIngressOnlyWhenAskedAndNeverHealthOrMetricsAndCorsOriginsReachTheServices()
    {
        var values = System.IO.Path.Combine(Helm.ChartDirectory, "values-external.yaml");
        Assert.Single(RenderedChart.WithArguments("--values", values).OfKind("Ingress"));
        Assert.All(RenderedChart.WithArguments("--values", values).OfKind("Service"), service => Assert.Single(service.Root.At("spec", "ports").Items()));

        var chart = RenderedChart.WithArguments("--values", values, "--set", "ingress.http.enabled=true", "--set", "web.cors.allowedOrigins[0]=https://dashboard.example.vn");
        var http = chart.OfKind("Ingress").Single(ingress => ingress.Name.EndsWith("-http", StringComparison.Ordinal));
        var paths = http.Root.At("spec", "rules").Items().SelectMany(rule => rule.At("http", "paths").Items()).ToList();
        Assert.All(paths, path => Assert.Equal("http", path.At("backend", "service", "port", "name").Text()));
        var routes = paths.Select(path => new IngressPath(path.At("path").Text()!, path.At("pathType").Text()!)).ToList();
        Assert.True(Matches(routes, "/v1/committees/gia-lai/view"));
        Assert.True(Matches(routes, "/v1/events:stream"));
        Assert.True(Matches(routes, "/openapi/v1.json"));
        Assert.All(new[] { "/healthz", "/readyz", "/metrics", "/" }, path => Assert.False(Matches(routes, path), path));

        foreach (var service in Services.Keys)
        {
            var name = $"steering-egov-steering-{service}";
            Assert.Contains(chart.Single("Service", name).Root.At("spec", "ports").Items(), port => port.At("name").Text() == "http");
            var rule = Assert.Single(
                chart.Single("NetworkPolicy", name).Root.At("spec", "ingress").Items(),
                rule => rule.At("ports").Items().Any(port => port.At("port").Text() == "http")
                    && rule.At("from").Items().Any(peer => peer.At("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name").Text() == "ingress-nginx"));
            Assert.NotNull(rule);
            Assert.Equal("https://dashboard.example.vn", chart.Single("ConfigMap", name).Root.At("data").Strings()["Web__Cors__AllowedOrigins__0"]);
        }
    }

    [Fact]
    public void TheDashboardPageIsRoutedOnNotificationsHostOnlyWithTheJsonApi()
    {
        var values = System.IO.Path.Combine(Helm.ChartDirectory, "values-external.yaml");
        var chart = RenderedChart.WithArguments("--values", values, "--set", "ingress.http.enabled=true");
        var http = chart.OfKind("Ingress").Single(ingress => ingress.Name.EndsWith("-http", StringComparison.Ordinal));
        foreach (var rule in http.Root.At("spec", "rules").Items())
        {
            var paths = rule.At("http", "paths").Items().ToList();
            var routes = paths.Select(path => new IngressPath(path.At("path").Text()!, path.At("pathType").Text()!)).ToList();
            var notifications = paths.All(path => chart.Single("Service", path.At("backend", "service", "name").Text()!).Service == "notifications");
            Assert.Equal(notifications, Matches(routes, "/dashboard/app.js"));
            Assert.Equal(notifications, Matches(routes, "/dashboard/config.json"));
        }

        Assert.DoesNotContain(chart.OfKind("Ingress").Single(ingress => !ingress.Name.EndsWith("-http", StringComparison.Ordinal)).Root.At("spec", "rules").Items()
            .SelectMany(rule => rule.At("http", "paths").Items()), path => path.At("path").Text()!.StartsWith("/dashboard", StringComparison.Ordinal));
    }

    private sealed record IngressPath(string Path, string Type);

    // Kubernetes' matching: Exact is the whole path; Prefix matches whole path elements.
    private static bool Matches(IEnumerable<IngressPath> paths, string request) => paths.Any(path => path.Type switch
    {
        "Exact" => request == path.Path,
        "Prefix" => request == path.Path || request.StartsWith(path.Path.TrimEnd('/') + "/", StringComparison.Ordinal),
        _ => throw new InvalidOperationException($"pathType {path.Type}"),
    });

    // Paths by service (the backend's app.kubernetes.io/name, from its Service).
    private static Dictionary<string, List<IngressPath>> IngressRules(RenderedChart chart) =>
        chart.OfKind("Ingress").Single().Root.At("spec", "rules").Items()
            .SelectMany(rule => rule.At("http", "paths").Items())
            .GroupBy(path => chart.Single("Service", path.At("backend", "service", "name").Text()!).Service)
            .ToDictionary(
                group => group.Key,
                group => group.Select(path => new IngressPath(path.At("path").Text()!, path.At("pathType").Text()!)).ToList());
}
