from django.apps import AppConfig


class InstructionConfig(AppConfig):
    name = "instruction"
    verbose_name = "Instruction (back-office)"

    def ready(self):
        from instruction import signals  # noqa: F401 (connects the receivers)
