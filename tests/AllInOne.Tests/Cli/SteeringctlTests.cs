using System.Text.Json;
using Egov.Steering.Cli.Remote;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary>steeringctl as a clerk runs it against a started sandbox, output captured as a pipe would see it.</summary>
public sealed class SteeringctlTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    // Nothing listens on port 1.
    private const string ClosedAddress = "http://127.0.0.1:1";

    private string Address => "http://" + sandbox.Channel.Target;

    [Fact]
    public async Task Committees_show_prints_Gia_Lai_at_the_end_of_2020_with_17_members_chair_first()
    {
        var result = await RunAsync("committees", "show", SampleCommittees.GiaLai, "--as-of", "2020-12-31", "--token", await MintAsync());

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("17 membership(s)", result.Output, StringComparison.Ordinal);
        var chair = FirstRow(result.Output, "chair");
        Assert.Matches(@"^\W*1\W", chair);
        Assert.DoesNotContain("vice", chair, StringComparison.Ordinal);
        Assert.Contains("Chủ tịch", chair, StringComparison.Ordinal);
        Assert.Contains("standing member, secretary", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Output, StringComparison.Ordinal); // no colour codes in a pipe
    }

    [Fact]
    public async Task Committees_show_as_json_is_the_protobuf_view_a_script_can_parse()
    {
        var result = await RunAsync("committees", "show", SampleCommittees.GiaLai, "--as-of", "2020-12-31", "--output", "json", "--token", await MintAsync());

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var memberships = json.RootElement.GetProperty("memberships");
        Assert.Equal(17, memberships.GetArrayLength());
        Assert.Equal("MEMBERSHIP_ROLE_CHAIR", memberships[0].GetProperty("roles")[0].GetString());
    }

    [Fact]
    public async Task A_committee_that_does_not_exist_exits_3_and_says_where_to_look()
    {
        var result = await RunAsync("committees", "show", "no-such-committee", "--token", await MintAsync());

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("committees list", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task A_decision_that_does_not_exist_exits_3_and_points_to_decisions_list()
    {
        var result = await RunAsync("decisions", "show", "nope", "--token", await MintAsync());

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("steeringctl decisions list", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("committees list", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uppercase_id_is_refused_with_each_reason_said_once()
    {
        var result = await RunAsync("committees", "show", "GIA-LAI-2020-E-GOVERNMENT", "--token", await MintAsync());

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var violation = lines[^1];
        Assert.StartsWith("committee: ", violation, StringComparison.Ordinal);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(result.Error, System.Text.RegularExpressions.Regex.Escape(violation)));
    }

    [Fact]
    public async Task Without_a_token_the_clerk_is_told_to_mint_one_and_the_exit_code_is_4()
    {
        var result = await RunAsync("committees", "list");

        Assert.Equal(ExitCodes.NotAllowed, result.ExitCode);
        Assert.Contains("no token: run `steeringctl token mint", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_can_come_from_the_environment_like_a_shell_session_sets_it()
    {
        // The only test that reads STEERINGCTL_TOKEN; the others pass --token, so they do not depend on it.
        Environment.SetEnvironmentVariable(RemoteOptions.TokenVariable, await MintAsync());
        try
        {
            var result = await RunAsync("committees", "list", "--level", "national");

            Assert.Equal(ExitCodes.Ok, result.ExitCode);
            Assert.Contains(SampleCommittees.National, result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(SampleCommittees.GiaLai, result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RemoteOptions.TokenVariable, null);
        }
    }

    [Fact]
    public async Task Overview_has_one_row_per_province_and_ministry_with_Gia_Lai_and_its_17_members()
    {
        var result = await RunAsync("overview", "--as-of", "2020-12-31", "-o", "json", "--token", await MintAsync());

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(63, rows.Count(row => row.GetProperty("level").GetString() == "COMMITTEE_LEVEL_PROVINCE"));
        var giaLai = Assert.Single(rows, row => row.TryGetProperty("committee", out var committee) && committee.GetString() == $"committees/{SampleCommittees.GiaLai}");
        Assert.Equal(17, giaLai.GetProperty("memberCount").GetInt32());
    }

    [Fact]
    public async Task Overview_as_a_table_shows_Gia_Lai_with_its_committee_members_and_chair()
    {
        var result = await RunAsync("overview", "--as-of", "2020-12-31", "--token", await MintAsync());

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var giaLai = FirstRow(result.Output, SampleCommittees.GiaLai);
        Assert.Contains("Tỉnh Gia Lai", giaLai, StringComparison.Ordinal);
        Assert.Matches(@"\b17\b", giaLai);
        Assert.Contains("Chủ tịch", giaLai, StringComparison.Ordinal); // the chair's post, as the source names no person
    }

    [Fact]
    public async Task People_search_finds_the_prime_minister_without_diacritics()
    {
        var result = await RunAsync("people", "search", "nguyen xuan phuc", "--token", await MintAsync());

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Nguyễn Xuân Phúc", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 person(s)", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("committees", "show", "x", "--as-of", "31/12/2020")]
    [InlineData("committees", "list", "--level", "district")]
    [InlineData("committees", "list", "--address", "ftp://example")]
    public async Task A_command_line_that_does_not_parse_exits_2_and_says_why(params string[] args)
    {
        var result = await RunAsync(args);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.NotEmpty(result.Error);
    }

    [Fact]
    public async Task A_server_that_is_not_there_exits_5_and_says_how_to_start_it()
    {
        var result = await RunAsync("committees", "list", "--address", ClosedAddress, "--token", await MintAsync());

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains("dotnet run --project services/AllInOne", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--membership-address", "committees", "list", "--level", "national")]
    [InlineData("--decisions-address", "decisions", "list")]
    [InlineData("--notifications-address", "watch", "--from-beginning", "--count", "1")]
    public async Task Each_command_calls_its_service_at_that_services_own_address_rather_than_address(string option, params string[] command)
    {
        // --address names a closed port: the command succeeds only at its own service's address.
        var result = await RunAsync([.. command, "--address", ClosedAddress, option, Address, "--token", await MintAsync()]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.NotEmpty(result.Output);
    }

    [Fact]
    public async Task Watch_needs_only_the_notifications_address()
    {
        var result = await Steeringctl.RunAsync("watch", "--from-beginning", "--count", "1", "-o", "json", "--notifications-address", Address, "--token", await MintAsync());

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Single(FeedSteps.JsonLines(result.Output));
    }

    [Fact]
    public async Task A_service_that_is_not_there_is_named_with_its_address_and_the_option_that_sets_it()
    {
        var result = await RunAsync("decisions", "list", "--address", Address, "--decisions-address", ClosedAddress, "--token", await MintAsync());

        Assert.Equal(ExitCodes.Unavailable, result.ExitCode);
        Assert.Contains($"cannot reach Decisions at {ClosedAddress}/", result.Error, StringComparison.Ordinal);
        Assert.Contains("pass --decisions-address (or set STEERINGCTL_DECISIONS_ADDRESS)", result.Error, StringComparison.Ordinal);
    }

    // The clerk's first step: a read token from `steeringctl token mint`.
    private static async Task<string> MintAsync()
    {
        var (exitCode, output, _) = await Steeringctl.RunAsync("token", "mint", "--org", "national", "--scope", "read");
        Assert.Equal(ExitCodes.Ok, exitCode);
        return output.Trim();
    }

    private static string FirstRow(string output, string containing) =>
        output.Split('\n').First(line => line.Contains(containing, StringComparison.Ordinal));

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        Steeringctl.RunAsync(args.Contains("--address") ? args : [.. args, "--address", Address]);
}
