"""The quickstart pipeline: one task, built with gokart.build, output cached under ./resources/."""

import os

import gokart


class Example(gokart.TaskOnKart[str]):
    def run(self):
        self.dump('Hello, world!')


if __name__ == '__main__':
    task = Example()
    result = gokart.build(task)
    print(f'result: {result!r}')
    print(f'output: {task.output().path()}')
    for root, _, files in sorted(os.walk(task.workspace_directory)):
        for name in sorted(files):
            print(f'  {os.path.join(root, name)}')
