using Egov.Steering.Messaging;
using Egov.Steering.Messaging.Inbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging;

public sealed class MessagingOptionsTests
{
    [Fact]
    public void The_messaging_section_is_bound_once_however_many_parts_of_messaging_ask_for_it()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:RetryLimit"] = "7" })
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);

        services.AddParkedMessageCounter<MessagingTestDbContext>();
        services.AddParkedMessageRelease<RecordingConsumer>();
        services.AddParkedMessageRelease<OrderedRecordingConsumer>();

        Assert.Single(services, service => service.ServiceType == typeof(IConfigureOptions<MessagingOptions>));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(7, provider.GetRequiredService<IOptions<MessagingOptions>>().Value.RetryLimit);
    }
}
