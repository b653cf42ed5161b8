"""A requires() that returns a generator (docs/compat.md Q56): discovery, the unique id, input(), load() and the
dump's metadata all see its tasks, as they would a list's, although the build asks requires() only once."""

import luigi

import gokart


class Number(gokart.TaskOnKart):
    i = luigi.IntParameter()

    def run(self):
        self.dump(self.i * 10)


class FromGenerator(gokart.TaskOnKart):
    def requires(self):
        return (Number(i=i) for i in range(3))

    def run(self):
        self.dump(self.load())


class FromList(gokart.TaskOnKart):
    def requires(self):
        return [Number(i=i) for i in range(3)]

    def run(self):
        self.dump(self.load())


def test_a_generator_of_requirements_is_loaded_whole():
    assert gokart.build(FromGenerator(), reset_register=False) == [0, 10, 20]


def test_the_generator_gives_the_id_and_inputs_of_the_list():
    generator, listed = FromGenerator(), FromList()
    assert [t.path for t in generator.input()] == [t.path for t in listed.input()]
    ids = [t.make_unique_id() for t in luigi.task.flatten(generator.requires())]
    assert ids == [t.make_unique_id() for t in listed.requires()]
