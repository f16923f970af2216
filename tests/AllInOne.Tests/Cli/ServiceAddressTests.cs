using Egov.Steering.Access;
using Egov.Steering.Cli;
using Egov.Steering.Cli.Remote;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>
/// Which address steeringctl calls a service at: its own option, its own variable, --address, STEERINGCTL_ADDRESS,
/// the address a running sandbox wrote, the sandbox's default. The environment is a table here, so these tests never change the process's variables.
/// </summary>
public sealed class ServiceAddressTests
{
    [Theory]
    [InlineData(true, true, true, true, "{0}-option")]
    [InlineData(false, true, true, true, "{0}-variable")]
    [InlineData(false, false, true, true, "address-option")]
    [InlineData(false, false, false, true, "address-variable")]
    public void Each_service_takes_its_option_then_its_variable_then_address_then_STEERINGCTL_ADDRESS(
        bool ownOption, bool ownVariable, bool addressOption, bool addressVariable, string expectedHost)
    {
        foreach (var service in RemoteService.All)
        {
            // Every other service's option and variable are set too: only this service's own may win.
            var others = RemoteService.All.Where(other => other != service).ToList();
            List<string> args = ["committees", "list", .. others.SelectMany(other => new[] { other.AddressOption, Url(other, "option") })];
            var environment = others.ToDictionary(other => other.AddressVariable, other => Url(other, "variable"));
            if (ownOption)
            {
                args.AddRange([service.AddressOption, Url(service, "option")]);
            }

            if (ownVariable)
            {
                environment[service.AddressVariable] = Url(service, "variable");
            }

            if (addressOption)
            {
                args.AddRange([RemoteOptions.AddressName, "http://address-option:5100"]);
            }

            if (addressVariable)
            {
                environment[RemoteOptions.AddressVariable] = "http://address-variable:5100";
            }

            var address = Resolve(service, args, environment);

            Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expectedHost, service.Name.ToLowerInvariant()), address.Host);
        }
    }

    [Fact]
    public void With_nothing_set_every_service_is_the_sandbox_and_an_empty_variable_counts_as_unset()
    {
        var environment = RemoteService.All.ToDictionary(service => service.AddressVariable, _ => string.Empty);
        environment[RemoteOptions.AddressVariable] = string.Empty;

        foreach (var service in RemoteService.All)
        {
            Assert.Equal(new Uri(RemoteOptions.DefaultAddress), Resolve(service, ["overview"], environment));
        }
    }

    [Fact]
    public void With_no_address_set_every_service_is_where_the_running_sandbox_wrote_it_and_any_setting_still_wins()
    {
        var file = Path.Combine(Path.GetTempPath(), "sandbox-address-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "http://127.0.0.1:5200/\n");
        try
        {
            var environment = new Dictionary<string, string> { [SandboxAddressFile.Variable] = file };
            foreach (var service in RemoteService.All)
            {
                Assert.Equal(new Uri("http://127.0.0.1:5200/"), Resolve(service, ["overview"], environment));
                Assert.Equal("address-option", Resolve(service, ["overview", RemoteOptions.AddressName, "http://address-option:5100"], environment).Host);
            }

            environment[RemoteOptions.AddressVariable] = "http://address-variable:5100";
            Assert.Equal("address-variable", Resolve(RemoteService.Membership, ["overview"], environment).Host);

            File.WriteAllText(file, "127.0.0.1:5200");
            var refused = Assert.Throws<BadUsageException>(() => Resolve(RemoteService.Membership, ["overview"], new() { [SandboxAddressFile.Variable] = file }));
            Assert.Contains(file, refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_sandbox_address_file_is_in_the_users_configuration_folder_unless_a_variable_names_another()
    {
        Assert.Equal("/home/u/.config/egov-steering/sandbox-address", PathFrom(new Dictionary<string, string> { ["HOME"] = "/home/u" }));
        Assert.Equal("/cfg/egov-steering/sandbox-address", PathFrom(new Dictionary<string, string> { ["HOME"] = "/home/u", ["XDG_CONFIG_HOME"] = "/cfg" }));
        Assert.Equal("/tmp/a", PathFrom(new Dictionary<string, string> { ["HOME"] = "/home/u", [SandboxAddressFile.Variable] = "/tmp/a" }));
        Assert.Null(PathFrom(new Dictionary<string, string>()));
    }

    [Fact]
    public void A_variable_that_is_not_a_url_is_refused_naming_the_variable()
    {
        var environment = new Dictionary<string, string> { [RemoteService.Decisions.AddressVariable] = "localhost:5102" };

        var refused = Assert.Throws<BadUsageException>(() => Resolve(RemoteService.Decisions, ["decisions", "list"], environment));

        Assert.Contains("STEERINGCTL_DECISIONS_ADDRESS must be an http:// or https:// URL", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'localhost:5102'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_service_option_that_is_not_a_url_does_not_parse_and_names_the_option()
    {
        var parsed = SteeringctlCommand.Create().Parse(["watch", "--notifications-address", "127.0.0.1:5103"]);

        var error = Assert.Single(parsed.Errors);
        Assert.StartsWith("--notifications-address must be an http:// or https:// URL", error.Message, StringComparison.Ordinal);
    }

    private static string? PathFrom(Dictionary<string, string> environment) => SandboxAddressFile.PathFrom(variable => environment.GetValueOrDefault(variable));

    private static string Url(RemoteService service, string source) => $"http://{service.Name.ToLowerInvariant()}-{source}:5101";

    private static Uri Resolve(RemoteService service, IReadOnlyList<string> args, Dictionary<string, string> environment)
    {
        var parsed = SteeringctlCommand.Create().Parse(args);
        Assert.Empty(parsed.Errors);
        return RemoteOptions.ResolveAddress(parsed, service, variable => environment.GetValueOrDefault(variable));
    }
}
