using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Egov.Steering.Deployment.Tests.Chart;
using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.ServiceDefaults.Infrastructure;
using Egov.Steering.Storage;

namespace Egov.Steering.Deployment.Tests;

/// <summary>
/// The chart configures the services only with keys they read: a misspelt key would be ignored silently and the
/// service would run on its default.
/// </summary>
public sealed class ServiceKeyTests
{
    private static readonly Assembly[] SharedAssemblies =
        [typeof(KestrelExtensions).Assembly, typeof(Messaging.MessagingOptions).Assembly];

    private static readonly Dictionary<string, Assembly[]> ServiceAssemblies = new()
    {
        ["membership"] = [.. SharedAssemblies, typeof(Membership.Extensions).Assembly],
        ["decisions"] = [.. SharedAssemblies, typeof(Decisions.Extensions).Assembly],
        ["notifications"] = [.. SharedAssemblies, typeof(Notifications.Extensions).Assembly],
    };

    // Keys the services read directly rather than through an options class, and the generic host's shutdown timeout.
    private static readonly string[] DirectKeys =
    [
        KestrelExtensions.GrpcPortKey, KestrelExtensions.HttpPortKey, ServiceRunner.MigrateOnStartKey,
        InfrastructureOptions.StorageProviderKey, InfrastructureOptions.BusTransportKey, InfrastructureOptions.CacheProviderKey,
        "HostOptions:ShutdownTimeout",
    ];

    public static TheoryData<string> ValuesFiles => RenderedChart.ValuesFiles();

    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public void EveryConfigMapKeyIsOneTheServiceReadsWithAValueOfItsType(string valuesFile) =>
        AssertEveryConfigMapKeyIsRead(RenderedChart.With(valuesFile));

    [Fact]
    public void TheTransportKeysAreOnesTheServicesReadWithValuesOfTheirTypes() =>
        AssertEveryConfigMapKeyIsRead(RenderedChart.WithArguments(
            "--set", "tls.enabled=true", "--set", "tls.clientCertificates=Require", "--set", "messaging.queueType=Classic",
            "--set", "messaging.clusterNodes={rabbitmq-1:5672,rabbitmq-2}"));

    private static void AssertEveryConfigMapKeyIsRead(RenderedChart chart)
    {
        foreach (var configMap in chart.OfKind("ConfigMap"))
        {
            var service = configMap.Labels["app.kubernetes.io/name"];
            var sections = OptionsBySection(ServiceAssemblies[service]);
            // Decisions reads Membership's address from Services:Membership.
            var directKeys = service == "decisions" ? [.. DirectKeys, "Services:Membership"] : DirectKeys;

            // Variables without `__` are the runtime's and OpenTelemetry's own (ASPNETCORE_*, DOTNET_*, OTEL_*).
            foreach (var (variable, value) in configMap.Root.At("data").Strings().Where(entry => entry.Key.Contains("__", StringComparison.Ordinal)))
            {
                var path = variable.Split("__");
                var key = string.Join(':', path);
                if (directKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                Assert.True(sections.TryGetValue(path[0], out var options), $"{service}: {variable} is no key {service} reads");
                // An index (`__0`) is an element of an array property.
                var type = path.Skip(1).Aggregate((Type?)options, (current, name) => current is { IsArray: true } && int.TryParse(name, CultureInfo.InvariantCulture, out _)
                    ? current.GetElementType()
                    : current?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType);
                Assert.True(type is not null, $"{service}: {variable} is no property of {options.Name}");
                var converter = TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type);
                Assert.True(converter.IsValid(value), $"{service}: {variable}={value} is no {type.Name}");
            }
        }
    }

    [Fact]
    public void TheDefaultsSpellOutDecisionsAndViewsOptions()
    {
        var chart = RenderedChart.With("values.yaml");
        var decisions = chart.OfKind("ConfigMap").Single(configMap => configMap.Labels["app.kubernetes.io/name"] == "decisions").Root.At("data").Strings();
        var membership = chart.OfKind("ConfigMap").Single(configMap => configMap.Labels["app.kubernetes.io/name"] == "membership").Root.At("data").Strings();

        Assert.Equal(TimeSpan.FromSeconds(10), TimeSpan.Parse(decisions["Decisions__MembershipTimeout"], CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromMilliseconds(250), TimeSpan.Parse(membership["Views__RedisTimeout"], CultureInfo.InvariantCulture));
        Assert.Equal("decisions", decisions["Messaging__EndpointPrefix"]);
        Assert.Equal("membership", membership["Messaging__EndpointPrefix"]);
    }

    // Options classes by the configuration section they are bound to (their `public const string SectionName`).
    private static Dictionary<string, Type> OptionsBySection(IEnumerable<Assembly> assemblies) =>
        assemblies.SelectMany(assembly => assembly.GetExportedTypes())
            .Select(type => (Type: type, Section: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(options => options.Section is not null)
            .ToDictionary(options => options.Section!, options => options.Type, StringComparer.OrdinalIgnoreCase);
}
