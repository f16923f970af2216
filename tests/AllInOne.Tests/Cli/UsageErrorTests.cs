using Egov.Steering.Cli.Remote;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>
/// A command line that does not parse, or a token that cannot be one: the error and a one-line hint on standard
/// error, nothing on standard output (so `$(steeringctl ...)` captures nothing), exit 2, and nothing is called.
/// </summary>
public sealed class UsageErrorTests
{
    // Nothing listens on port 1: a command that called anything would exit 5, not 2.
    private const string ClosedAddress = "http://127.0.0.1:1";

    [Theory]
    [InlineData("token mint", "--scope", "root", "token", "mint", "--org", "national")]
    [InlineData("token mint", "--org", "token", "mint", "--scope", "read")]
    [InlineData("token mint", "2x", "token", "mint", "--org", "national", "--scope", "read", "--lifetime", "2x")]
    [InlineData("committees show", "31/12/2020", "committees", "show", "x", "--as-of", "31/12/2020")]
    [InlineData("committees list", "district", "committees", "list", "--level", "district")]
    [InlineData("decisions list", "--bogus", "decisions", "list", "--bogus")]
    [InlineData("watch", "many", "watch", "--count", "many")]
    [InlineData("steeringctl", "comittees", "comittees", "list")]
    public async Task Every_command_reports_a_bad_argument_on_stderr_once_without_the_help_and_exits_2(string command, string named, params string[] args)
    {
        var (exitCode, output, error) = await Steeringctl.RunAsync([.. args, "--address", ClosedAddress]);

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Empty(output);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, line => line.Contains(named, StringComparison.Ordinal));
        Assert.Equal(lines.Length, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.DoesNotContain("Options:", error, StringComparison.Ordinal);
        Assert.Equal($"See `{(command == "steeringctl" ? command : "steeringctl " + command)} --help` for its usage.", lines[^1]);
    }

    [Fact]
    public async Task Help_asked_for_names_the_tool_steeringctl_and_goes_to_stdout()
    {
        var (exitCode, output, error) = await SteeringctlProcess.RunAsync(new Dictionary<string, string?>(), "token", "mint", "--help");

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Empty(error);
        Assert.Contains("steeringctl token mint [options]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Egov.Steering.Cli", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_token_mint_inside_a_command_substitution_captures_nothing_and_fails()
    {
        // export STEERINGCTL_TOKEN=$(steeringctl token mint --org national --scope root)
        var (exitCode, output, error) = await SteeringctlProcess.RunAsync(new Dictionary<string, string?>(), "token", "mint", "--org", "national", "--scope", "root");

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Empty(output);
        Assert.Contains("root", error, StringComparison.Ordinal);
        Assert.Contains("steeringctl token mint --help", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Usage:\n  steeringctl token mint [options]")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\n")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9 .eyJzdWIiOiJ4In0.c2ln")]
    [InlineData("not-a-jwt")]
    public async Task A_malformed_token_from_the_environment_is_refused_before_any_call(string token)
    {
        var (exitCode, output, error) = await SteeringctlProcess.RunAsync(
            new Dictionary<string, string?> { [RemoteOptions.TokenVariable] = token }, "committees", "list", "--address", ClosedAddress);

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.Empty(output);
        Assert.Contains("STEERINGCTL_TOKEN does not hold a token", error, StringComparison.Ordinal);
        Assert.Contains("steeringctl token mint", error, StringComparison.Ordinal);
        Assert.DoesNotContain("PROTOCOL_ERROR", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_token_option_is_refused_naming_the_option()
    {
        var (exitCode, _, error) = await Steeringctl.RunAsync("decisions", "list", "--address", ClosedAddress, "--token", "Usage: steeringctl");

        Assert.Equal(ExitCodes.BadUsage, exitCode);
        Assert.StartsWith("--token does not hold a token (it starts 'Usage: steeringctl')", error, StringComparison.Ordinal);
    }
}
