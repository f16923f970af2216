using System.Text.Json;
using Egov.Steering.Access;
using Egov.Steering.Cli.Remote;

namespace Egov.Steering.AllInOne.Tests.Cli;

/// <summary><c>steeringctl decisions list|show</c> against a started sandbox, output captured as a pipe would see it.</summary>
public sealed class DecisionsCommandsTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private readonly string token = DevelopmentTokens.Mint("national", [SteeringScopes.Read], TimeSpan.FromHours(1));

    [Fact]
    public async Task Decisions_list_for_Gia_Lai_shows_the_undated_2020_addition_as_the_source_gives_it()
    {
        var result = await RunAsync("decisions", "list", "--committee", SampleCommittees.GiaLai);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var addition = result.Output.Split('\n').Single(line => line.Contains("gia-lai-2020-bo-sung", StringComparison.Ordinal));
        Assert.Contains("(number not in the source)", addition, StringComparison.Ordinal);
        Assert.Matches(@"\b2020\b", addition);
        Assert.Contains("gia-lai-2019-337", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("qd-701-2020-ttg", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decisions_show_as_json_is_the_decision_1619_that_renamed_the_national_committee()
    {
        var result = await RunAsync("decisions", "show", "qd-1619-2021-ttg", "-o", "json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("1619/QĐ-TTg", json.RootElement.GetProperty("number").GetString());
        Assert.Equal("DECISION_STATE_APPLIED", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Decisions_show_lists_every_source_of_the_decision()
    {
        var result = await RunAsync("decisions", "show", "qd-1619-2021-ttg");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("mic.gov.vn", result.Output, StringComparison.Ordinal);
        Assert.Contains("sotttt.quangtri.gov.vn", result.Output, StringComparison.Ordinal);
        Assert.Contains("hoichieusangvietnam.org.vn", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decision_that_does_not_exist_exits_3()
    {
        var result = await RunAsync("decisions", "show", "no-such-decision");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Empty(result.Output);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) =>
        Steeringctl.RunAsync([.. args, "--address", "http://" + sandbox.Channel.Target, "--token", token]);
}
