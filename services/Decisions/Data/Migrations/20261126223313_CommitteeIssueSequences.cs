using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Decisions.Data.Migrations
{
    /// <inheritdoc />
    public partial class CommitteeIssueSequences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "committee_issue_sequences",
                columns: table => new
                {
                    committee = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    last_sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_committee_issue_sequences", x => x.committee);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "committee_issue_sequences");
        }
    }
}
