"""The one-command Typer floor: parse one option and print."""

import typer

app = typer.Typer()


@app.command()
def main(name: str = "x") -> None:
    """Print the name."""
    print(name)


if __name__ == "__main__":
    app()
