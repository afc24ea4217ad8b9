#pragma once
// The undo history: a QUndoStack with a memory budget. QUndoStack's own limit counts commands
// (and can only be set while empty); here each command reports the bytes it keeps alive and the
// oldest steps are dropped once the total passes the budget. The newest step is always kept.
#include <QUndoCommand>
#include <QUndoStack>

#include <memory>

namespace atelier::document {

// Base of Atelier's commands: reports what it costs to keep.
class DocumentCommand : public QUndoCommand {
public:
    using QUndoCommand::QUndoCommand;
    // Bytes this step keeps alive (old and new tiles, removed layers), an upper bound.
    virtual qint64 bytes() const { return 0; }
};

class UndoHistory {
public:
    explicit UndoHistory(qint64 byteBudget = qint64(512) << 20);
    ~UndoHistory();

    // Runs command->redo() and records it (merging it into the top step where it agrees).
    void push(DocumentCommand* command);
    bool canUndo() const { return stack_.canUndo(); }
    bool canRedo() const { return stack_.canRedo(); }
    void undo() { stack_.undo(); }
    void redo() { stack_.redo(); }
    int count() const { return stack_.count(); }
    int index() const { return stack_.index(); }
    bool isClean() const { return stack_.isClean(); }
    void setClean() { stack_.setClean(); }
    QString undoText() const { return stack_.undoText(); }
    QString redoText() const { return stack_.redoText(); }

    qint64 byteBudget() const { return budget_; }
    void setByteBudget(qint64 bytes);
    qint64 bytesUsed() const;
    // For QUndoView and action wiring in the UI.
    QUndoStack& stack() { return stack_; }

private:
    void enforceBudget();
    QUndoStack stack_;
    qint64 budget_;
    bool replaying_ = false;  // re-pushing kept steps: their redo/undo must not run
};

}  // namespace atelier::document
