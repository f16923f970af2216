using System.CommandLine;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Membership.V1;
using Spectre.Console;

namespace Egov.Steering.Cli.Commands;

/// <summary><c>steeringctl people search &lt;text&gt;</c>: find a person by name, with or without diacritics.</summary>
public static class PeopleCommands
{
    public static Command Create() => new("people", "The people sitting on committees.") { CreateSearch() };

    private static Command CreateSearch()
    {
        var text = new Argument<string>("text") { Description = "Words of the name, any case, with or without diacritics (\"nguyen xuan phuc\")." };
        var search = new Command("search", "People whose name contains these words, in Vietnamese name order.") { text };
        search.SetAction((parseResult, cancellationToken) => RemoteCall.RunAsync(parseResult, RemoteService.Membership, async call =>
        {
            var client = new MembershipService.MembershipServiceClient(call.Channel);
            var request = new SearchPeopleRequest { Query = parseResult.GetRequiredValue(text), PageSize = 500 };
            var all = new SearchPeopleResponse
            {
                People =
                {
                    await Pages.AllAsync<Person>(async pageToken =>
                    {
                        request.PageToken = pageToken;
                        var page = await client.SearchPeopleAsync(request, call.Headers, cancellationToken: cancellationToken);
                        return (page.People, page.NextPageToken);
                    }),
                },
            };

            if (call.WantsDocument)
            {
                call.WriteDocument(all);
                return;
            }

            var table = new Table().AddColumn(new TableColumn("id").NoWrap()).AddColumn("name");
            foreach (var person in all.People)
            {
                table.AddRow(Labels.Text(Labels.Id(person.Name)), Markup.Escape(person.DisplayName));
            }

            call.Console.Write(table);
            call.Console.WriteLine($"{all.People.Count} person(s)");
        }));
        return search;
    }
}
