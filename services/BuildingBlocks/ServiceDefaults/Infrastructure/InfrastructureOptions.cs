using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.ServiceDefaults.Infrastructure;

public enum StorageProvider
{
    PostgreSQL = 1,
    Sqlite,
}

public enum BusTransport
{
    RabbitMQ = 1,
    InMemory,
}

public enum CacheProvider
{
    Redis = 1,
    Memory,
}

/// <summary>
/// The three infrastructure switches, named alike in every service: <c>Storage:Provider</c> (with
/// <c>ConnectionStrings:Database</c>), <c>Bus:Transport</c> (with <c>ConnectionStrings:RabbitMQ</c> for RabbitMQ) and
/// <c>Cache:Provider</c> (with <c>ConnectionStrings:Redis</c> for Redis). All are required: a production service must
/// never fall back to SQLite or an in-memory bus because a setting was mistyped.
/// </summary>
public sealed record InfrastructureOptions(StorageProvider Storage, BusTransport Bus, CacheProvider Cache)
{
    public const string StorageProviderKey = "Storage:Provider";
    public const string BusTransportKey = "Bus:Transport";
    public const string CacheProviderKey = "Cache:Provider";

    /// <summary>Reads and checks the switches; every problem is reported at once in one start-up error.</summary>
    public static InfrastructureOptions FromConfiguration(IConfiguration configuration)
    {
        var problems = new List<string>();
        var storage = Parse<StorageProvider>(configuration, StorageProviderKey, problems);
        var bus = Parse<BusTransport>(configuration, BusTransportKey, problems);
        var cache = Parse<CacheProvider>(configuration, CacheProviderKey, problems);

        RequireConnectionString(configuration, "Database", storage is not null, StorageProviderKey, problems);
        RequireConnectionString(configuration, "RabbitMQ", bus == BusTransport.RabbitMQ, BusTransportKey, problems);
        RequireConnectionString(configuration, "Redis", cache == CacheProvider.Redis, CacheProviderKey, problems);

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The infrastructure configuration is invalid:" + string.Concat(problems.Select(problem => "\n - " + problem)));
        }

        return new InfrastructureOptions(storage!.Value, bus!.Value, cache!.Value);
    }

    private static TEnum? Parse<TEnum>(IConfiguration configuration, string key, List<string> problems)
        where TEnum : struct, Enum
    {
        var value = configuration[key];
        var expected = string.Join(" or ", Enum.GetNames<TEnum>());
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{key} is not set; set it to {expected}");
            return null;
        }

        // Names only: Enum.TryParse would also take "7".
        if (Enum.GetNames<TEnum>().FirstOrDefault(name => name.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase)) is not { } match)
        {
            problems.Add($"{key} is '{value}'; set it to {expected}");
            return null;
        }

        return Enum.Parse<TEnum>(match);
    }

    private static void RequireConnectionString(IConfiguration configuration, string name, bool needed, string switchKey, List<string> problems)
    {
        if (needed && string.IsNullOrWhiteSpace(configuration.GetConnectionString(name)))
        {
            problems.Add($"ConnectionStrings:{name} is not set, and {switchKey} = {configuration[switchKey]} needs it");
        }
    }
}

public static class InfrastructureOptionsExtensions
{
    /// <summary>The validated switches, read once and registered as a singleton for the rest of the service.</summary>
    public static InfrastructureOptions GetInfrastructureOptions(this IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(InfrastructureOptions), out var known))
        {
            return (InfrastructureOptions)known;
        }

        var options = InfrastructureOptions.FromConfiguration(builder.Configuration);
        builder.Properties[typeof(InfrastructureOptions)] = options;
        builder.Services.AddSingleton(options);
        return options;
    }
}
