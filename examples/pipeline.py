"""A three-task pipeline in one file, for the `gokart` command (docs/cli.md).

    gokart run examples/pipeline.py:Report --Report-n=4
    gokart why examples/pipeline.py:Report --Report-n=5

Run as a script (`python examples/pipeline.py Report --local-scheduler`) it does the same through
gokart.run(), with its outputs under resources/__main__/ instead of resources/pipeline/.
"""

import luigi

import gokart


class Numbers(gokart.TaskOnKart[list[int]]):
    """The numbers 0 .. n-1."""

    n: int = luigi.IntParameter(default=3, description='how many numbers')

    def run(self):
        self.dump(list(range(self.n)))


class Squares(gokart.TaskOnKart[list[int]]):
    numbers = gokart.TaskInstanceParameter()

    def run(self):
        self.dump([x * x for x in self.load('numbers')])


class Report(gokart.TaskOnKart[str]):
    """The sum of the squares of 0 .. n-1, as a sentence."""

    n: int = luigi.IntParameter(default=3, description='how many numbers')

    def requires(self):
        return Squares(numbers=Numbers(n=self.n))

    def run(self):
        self.dump(f'sum of squares below {self.n}: {sum(self.load())}')


if __name__ == '__main__':
    gokart.run()
