using Egov.Steering.ServiceDefaults.Hosting;
using Egov.Steering.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// How a service's process ends: an orderly stop exits 0, a background service that fails stops the host and the
/// process exits non-zero, so the orchestrator restarts it instead of taking the exit for a deliberate stop.
/// </summary>
public sealed class ProcessExitTests
{
    [Fact]
    public async Task A_failing_background_service_makes_the_service_exit_non_zero()
    {
        var builder = TestServiceHost.CreateBuilder();
        builder.Services.AddHostedService<FailingAfterStart>();
        await using var app = builder.Build();

        var exitCode = await app.RunServiceAsync<NotesDbContext>([]).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(ProcessExit.BackgroundServiceFailed, exitCode);
    }

    [Fact]
    public async Task An_orderly_stop_exits_zero()
    {
        var builder = TestServiceHost.CreateBuilder();
        builder.Services.AddHostedService<StopsTheHost>();
        await using var app = builder.Build();

        var exitCode = await app.RunServiceAsync<NotesDbContext>([]).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(0, exitCode);
    }

    private sealed class FailingAfterStart : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new TimeoutException("a dependency did not answer");
        }
    }

    private sealed class StopsTheHost(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            lifetime.StopApplication();
        }
    }
}
