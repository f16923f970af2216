using Egov.Steering.ServiceDefaults.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

public sealed class InfrastructureOptionsTests
{
    [Fact]
    public void Reads_the_three_switches_case_insensitively()
    {
        var options = InfrastructureOptions.FromConfiguration(Configuration(new()
        {
            ["Storage:Provider"] = "postgresql",
            ["ConnectionStrings:Database"] = "Host=db",
            ["Bus:Transport"] = "RabbitMQ",
            ["ConnectionStrings:RabbitMQ"] = "amqp://broker",
            ["Cache:Provider"] = "Memory",
        }));

        Assert.Equal(new InfrastructureOptions(StorageProvider.PostgreSQL, BusTransport.RabbitMQ, CacheProvider.Memory), options);
    }

    [Fact]
    public void Reports_every_problem_in_one_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InfrastructureOptions.FromConfiguration(Configuration(new()
        {
            ["Storage:Provider"] = "Postgres",
            ["Bus:Transport"] = "RabbitMQ",
            ["Cache:Provider"] = "7",
        })));

        Assert.Contains("Storage:Provider is 'Postgres'; set it to PostgreSQL or Sqlite", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:RabbitMQ is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cache:Provider is '7'; set it to Redis or Memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_switch_is_required()
    {
        var error = Assert.Throws<InvalidOperationException>(() => InfrastructureOptions.FromConfiguration(Configuration(new())));

        Assert.Contains("Storage:Provider is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bus:Transport is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cache:Provider is not set", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
